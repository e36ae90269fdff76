package node_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sesame-go/sesame/internal/node"
)

// FuzzParseCookies: the cookie-parser decoder never panics; a verified signed
// value is one the secrets signed; decoded JSON comes only from "j:" values.
func FuzzParseCookies(f *testing.F) {
	s, _ := node.NewSecrets("cp-current", "cp-old")
	for _, h := range []string{
		"c=s%3Ahello.YC45fj%2F6IsTQNc82HmqqYfpHxSKPdKXznPKDGs8BmVg",
		`c=j:{"a":1}; d=j%3A0`, `c="hello"; c=2`, "flag; c=%E0%A4%A", "=; =", `a="`,
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		cookies, signed := node.ParseCookies(header, s)
		for _, v := range cookies {
			if strings.HasPrefix(v.Value, "s:") {
				t.Fatalf("an s: value stayed in cookies: %q", v.Value)
			}
			if v.JSON != nil && !strings.HasPrefix(v.Value, "j:") {
				t.Fatalf("JSON from a value without j:: %q", v.Value)
			}
		}
		for _, v := range signed {
			if v.BadSignature {
				continue
			}
			if _, _, ok := s.Unsign(s.Sign(v.Value)); !ok {
				t.Fatalf("signed value %q does not round-trip", v.Value)
			}
		}
		plain, none := node.ParseCookies(header, nil)
		if len(none) != 0 || len(plain) != len(cookies)+len(signed) {
			t.Fatalf("without secrets: got %d cookies and %d signed, want %d and 0", len(plain), len(none), len(cookies)+len(signed))
		}
	})
}

// FuzzUnsign: cookie-signature's unsign accepts exactly what sign produces.
func FuzzUnsign(f *testing.F) {
	s, _ := node.NewSecrets("keyboard cat")
	f.Add("hello.xz6khi6+oL1pnNhBgjk3Nr1CX2sxTjJiO9pKXaHZ33E")
	f.Add("hello.xz6khi6+oL1pnNhBgjk3Nr1CX2sxTjJiO9pKXaHZ33F")
	f.Add("s:.")
	f.Fuzz(func(t *testing.T, in string) {
		if v, _, ok := s.Unsign(in); ok && s.Sign(v) != in {
			t.Fatalf("Unsign(%q) accepted a string Sign does not produce", in)
		}
		if v, _, ok := s.UnsignCookie(in); ok && "s:"+s.Sign(v) != in {
			t.Fatalf("UnsignCookie(%q) accepted a string SignCookie does not produce", in)
		}
	})
}

// FuzzURIComponent: encodeURIComponent and decodeURIComponent are inverse on
// UTF-8, and what a successful decode produces from escapes is UTF-8.
func FuzzURIComponent(f *testing.F) {
	for _, s := range []string{"", "hello world", "%E0%A4%A", "a+b%20c", "🍪", "%ED%A0%80", "\x8c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if utf8.ValidString(s) {
			enc := node.EncodeURIComponent(s)
			if got, ok := node.DecodeURIComponent(enc); !ok || got != s {
				t.Fatalf("Decode(Encode(%q)) = (%q, %v)", s, got, ok)
			}
			if !isCookieSafe(enc) {
				t.Fatalf("Encode(%q) = %q holds a byte outside cookie-octets", s, enc)
			}
		}
		// Without '%' there is nothing to decode and s comes back as is.
		if d, ok := node.DecodeURIComponent(s); ok && strings.Contains(s, "%") && !utf8.ValidString(d) {
			t.Fatalf("Decode(%q) = %q is not UTF-8", s, d)
		}
	})
}

// isCookieSafe: every byte of s is a cookie-octet (RFC 6265bis §4.1.1:
// %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E). Only the grammar: an encoded
// value may well exceed the 4096-byte limit package cookie also enforces.
func isCookieSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\' {
			return false
		}
	}
	return true
}
