package cookie_test

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/sesame-go/sesame/cookie"
)

func TestParse(t *testing.T) {
	tests := []struct {
		header string
		want   []cookie.Pair
	}{
		{"", nil},
		{"a=1", []cookie.Pair{{"a", "1"}}},
		{"a=1; b=2", []cookie.Pair{{"a", "1"}, {"b", "2"}}},
		{"a=1;b=2", []cookie.Pair{{"a", "1"}, {"b", "2"}}},
		{"  a  =  spaced value  ; d=1", []cookie.Pair{{"a", "spaced value"}, {"d", "1"}}},
		{"\ta=\t1\t", []cookie.Pair{{"a", "1"}}},
		{"a=1; a=2", []cookie.Pair{{"a", "1"}, {"a", "2"}}},
		{"flag; c=1", []cookie.Pair{{"", "flag"}, {"c", "1"}}},
		{"=v", []cookie.Pair{{"", "v"}}},
		{"a=", []cookie.Pair{{"a", ""}}},
		{"a=b=c", []cookie.Pair{{"a", "b=c"}}},
		{`a="q"`, []cookie.Pair{{"a", `"q"`}}},
		{";;a=1;;", []cookie.Pair{{"a", "1"}}},
		{"a=%20", []cookie.Pair{{"a", "%20"}}},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := cookie.Parse(tt.header); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGet(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Cookie", "a=1; sid=first")
	r.Header.Add("Cookie", "sid=second; b= two ")
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"a", "1", true},
		{"sid", "first", true},
		{"b", "two", true},
		{"missing", "", false},
		{"", "", false},
		{"A", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cookie.Get(r, tt.name)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("got (%q, %v), want (%q, %v)", got, ok, tt.want, tt.ok)
			}
		})
	}
	if got, want := cookie.All(r), []cookie.Pair{{"a", "1"}, {"sid", "first"}, {"sid", "second"}, {"b", "two"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("All: got %q, want %q", got, want)
	}
}

func TestPairsStops(t *testing.T) {
	n := 0
	for range cookie.Pairs("a=1; b=2; c=3") {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("got %d iterations, want 2", n)
	}
}

func TestGetAllocs(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "_ga=GA1.1.123; theme=dark; __Host-sid=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.tag; z=1")
	if n := testing.AllocsPerRun(100, func() { cookie.Get(r, "__Host-sid") }); n != 0 {
		t.Fatalf("got %v allocations per Get, want 0", n)
	}
}

func BenchmarkGet(b *testing.B) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "_ga=GA1.1.1234567890.1234567890; theme=dark; lang=en; __Host-sid=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG; z=1")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := cookie.Get(r, "__Host-sid"); !ok {
			b.Fatal("not found")
		}
	}
}
