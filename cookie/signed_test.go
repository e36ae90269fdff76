package cookie_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cookie"
)

func TestSignedValue(t *testing.T) {
	kr, _ := cookie.NewKeyring(key('n'), key('o'))
	old, _ := cookie.NewKeyring(key('o'))
	s := cookie.SignedValue(kr, "sid", "id.with.dots")
	if v, k, ok := cookie.VerifySigned(kr, "sid", s); !ok || v != "id.with.dots" || k != 0 {
		t.Fatalf("got (%q, %d, %v), want (%q, 0, true)", v, k, ok, "id.with.dots")
	}
	c := cookie.Cookie{Name: "sid", Value: s}
	if _, err := c.Check(""); err != nil {
		t.Fatalf("signed value is not a valid cookie value: %v", err)
	}
	tag := s[strings.LastIndexByte(s, '.')+1:]
	tests := []struct {
		name, cookie, signed string
		key                  int
		ok                   bool
	}{
		{"rotated key", "sid", cookie.SignedValue(old, "sid", "v"), 1, true},
		{"other cookie name", "csrf", s, -1, false},
		{"plain keyring tag", "sid", kr.Sign("id.with.dots"), -1, false},
		{"truncated", "sid", s[:len(s)-1], -1, false},
		{"padded", "sid", s + "=", -1, false},
		{"non-canonical", "sid", s[:len(s)-1] + string(rune(tag[len(tag)-1]^1)), -1, false},
		{"no dot", "sid", tag, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, k, ok := cookie.VerifySigned(kr, tt.cookie, tt.signed)
			if ok != tt.ok || k != tt.key {
				t.Fatalf("got (%d, %v), want (%d, %v)", k, ok, tt.key, tt.ok)
			}
		})
	}
}

func BenchmarkVerifySigned(b *testing.B) {
	kr, _ := cookie.NewKeyring(key('n'))
	s := cookie.SignedValue(kr, "__Host-sid", strings.Repeat("x", 43))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := cookie.VerifySigned(kr, "__Host-sid", s); !ok {
			b.Fatal("did not verify")
		}
	}
}

func BenchmarkAppendSignedValue(b *testing.B) {
	kr, _ := cookie.NewKeyring(key('n'))
	id := strings.Repeat("x", 43)
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		buf = cookie.AppendSignedValue(buf[:0], kr, "__Host-sid", id)
	}
}
