package node_test

import (
	"testing"

	"github.com/sesame-go/sesame/internal/node"
)

func TestEncodeURIComponent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abcXYZ019", "abcXYZ019"},
		{"-_.!~*'()", "-_.!~*'()"},
		{"hello world", "hello%20world"},
		{"a+b/c=d", "a%2Bb%2Fc%3Dd"},
		{"s:id.sig", "s%3Aid.sig"},
		{`a;b c,d"e\f`, "a%3Bb%20c%2Cd%22e%5Cf"},
		{"héllo ✓ 🍪", "h%C3%A9llo%20%E2%9C%93%20%F0%9F%8D%AA"},
		{"\xff", "%FF"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := node.EncodeURIComponent(tt.in); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeURIComponent(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"plain", "plain", true},
		{"a+b%20c", "a+b c", true},
		{"%3a%3A", "::", true},
		{"h%C3%A9", "hé", true},
		{"%E0%A4%A", "", false},
		{"%", "", false},
		{"%G0", "", false},
		{"%FF", "", false},       // not UTF-8: decodeURIComponent throws
		{"%ED%A0%80", "", false}, // a UTF-16 surrogate
		{"%C0%AF", "", false},    // overlong
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := node.DecodeURIComponent(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("got (%q, %v), want (%q, %v)", got, ok, tt.want, tt.ok)
			}
			want := tt.want
			if !ok {
				want = tt.in
			}
			if got := node.DecodeCookieValue(tt.in); got != want {
				t.Fatalf("DecodeCookieValue: got %q, want %q", got, want)
			}
		})
	}
}
