package cookie_test

import (
	"fmt"
	"testing"

	"github.com/sesame-go/sesame/cookie"
)

func TestDomainMatch(t *testing.T) {
	tests := []struct {
		host, domain string
		want         bool
	}{
		{"example.com", "example.com", true},
		{"API.Example.com", "example.com", true},
		{"a.b.example.com", "example.com", true},
		{"example.com", "api.example.com", false},
		{"badexample.com", "example.com", false},
		{"127.0.0.1", "127.0.0.1", true},
		{"1.127.0.0.1", "127.0.0.1", false},
		{"10.0.0.1", "0.0.1", false}, // an IP address domain-matches only itself
		{"app.localhost", "localhost", true},
	}
	for _, tt := range tests {
		if got := cookie.DomainMatch(tt.host, tt.domain); got != tt.want {
			t.Errorf("DomainMatch(%q, %q): got %v, want %v", tt.host, tt.domain, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { cookie.DomainMatch("api.example.com", "example.com") }); n != 0 {
		t.Errorf("got %v allocations, want 0", n)
	}
}

func ExampleDomainMatch() {
	fmt.Println(cookie.DomainMatch("api.example.com", "example.com"))
	fmt.Println(cookie.DomainMatch("example.com", "api.example.com"))
	// Output:
	// true
	// false
}
