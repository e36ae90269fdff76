package cookie_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sesame-go/sesame/cookie"
)

// FuzzPairs: the Cookie header parser never yields a name or value holding ';'
// or surrounding whitespace, and Lookup agrees with the first pair of a name.
func FuzzPairs(f *testing.F) {
	for _, s := range []string{"", "a=1; b=2", "  c  =  spaced value  ; d=1", "flag; c=1", "a=1;a=2", `a="q"`, ";;=;", "\t=\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		first := map[string]string{}
		for _, p := range cookie.Parse(header) {
			for _, s := range []string{p.Name, p.Value} {
				if strings.ContainsRune(s, ';') || strings.Trim(s, " \t") != s {
					t.Fatalf("pair %q of %q is not trimmed or holds ';'", p, header)
				}
			}
			if _, ok := first[p.Name]; !ok {
				first[p.Name] = p.Value
			}
		}
		for name, want := range first {
			if got, ok := cookie.Lookup(header, name); !ok || got != want {
				t.Fatalf("Lookup(%q, %q): got (%q, %v), want (%q, true)", header, name, got, ok, want)
			}
		}
	})
}

// FuzzAppendSetCookie: a cookie that passes the checks gives one Set-Cookie line
// that net/http reads back with the same name and value; a refused one appends
// nothing.
func FuzzAppendSetCookie(f *testing.F) {
	f.Add("sid", "abc", "example.com", "/", "api.example.com", int64(3600), true, true, uint8(0), false, uint8(0))
	f.Add("__Host-a", "v", "", "/x", "", int64(-1), true, false, uint8(2), true, uint8(3))
	f.Add("a b", "é", "com", "api", "1.2.3.4", int64(1e12), false, false, uint8(2), true, uint8(9))
	f.Fuzz(func(t *testing.T, name, value, domain, path, host string, maxAge int64, secure, httpOnly bool, sameSite uint8, partitioned bool, priority uint8) {
		c := cookie.Cookie{
			Name: name, Value: value, Domain: domain, Path: path,
			MaxAge: time.Duration(maxAge) * time.Second, Secure: secure, HttpOnly: httpOnly,
			SameSite: cookie.SameSite(sameSite), Partitioned: partitioned, Priority: cookie.Priority(priority),
		}
		line, _, err := cookie.AppendSetCookie([]byte("x"), &c, host)
		if err != nil {
			if string(line) != "x" {
				t.Fatalf("refused cookie still appended %q", line)
			}
			return
		}
		s := string(line[1:])
		if strings.ContainsAny(s, "\r\n\x00") {
			t.Fatalf("header injection: %q", s)
		}
		if !strings.HasPrefix(s, name+"="+value) {
			t.Fatalf("line %q does not start with the name and value", s)
		}
		got, err := http.ParseSetCookie(s)
		if err != nil {
			t.Fatalf("net/http cannot read %q: %v", s, err)
		}
		want := strings.Trim(value, `"`)
		if got.Name != name || (got.Value != want && got.Quoted) {
			t.Fatalf("net/http read %q as (%q, %q), want (%q, %q)", s, got.Name, got.Value, name, want)
		}
	})
}

// FuzzParseExpress: the cookie-parser decoder never panics; a verified signed
// value is one the secrets signed; decoded JSON comes only from "j:" values.
func FuzzParseExpress(f *testing.F) {
	s, _ := cookie.NewExpressSecrets("cp-current", "cp-old")
	for _, h := range []string{
		"c=s%3Ahello.YC45fj%2F6IsTQNc82HmqqYfpHxSKPdKXznPKDGs8BmVg",
		`c=j:{"a":1}; d=j%3A0`, `c="hello"; c=2`, "flag; c=%E0%A4%A", "=; =", `a="`,
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		cookies, signed := cookie.ParseExpress(header, s)
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
		plain, none := cookie.ParseExpress(header, nil)
		if len(none) != 0 || len(plain) != len(cookies)+len(signed) {
			t.Fatalf("without secrets: got %d cookies and %d signed, want %d and 0", len(plain), len(none), len(cookies)+len(signed))
		}
	})
}

// FuzzUnsign: cookie-signature's unsign accepts exactly what sign produces.
func FuzzUnsign(f *testing.F) {
	s, _ := cookie.NewExpressSecrets("keyboard cat")
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

// FuzzVerify: a keyring-signed value verifies only in its canonical form.
func FuzzVerify(f *testing.F) {
	kr, _ := cookie.NewKeyring(key('k'), key('o'))
	f.Add(kr.Sign("v"))
	f.Add("v.")
	f.Fuzz(func(t *testing.T, in string) {
		if v, _, ok := kr.Verify(in); ok && kr.Sign(v) != in {
			old, _ := cookie.NewKeyring(key('o'))
			if old.Sign(v) != in {
				t.Fatalf("Verify(%q) accepted a non-canonical form", in)
			}
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
			enc := cookie.EncodeURIComponent(s)
			if got, ok := cookie.DecodeURIComponent(enc); !ok || got != s {
				t.Fatalf("Decode(Encode(%q)) = (%q, %v)", s, got, ok)
			}
			if !isCookieSafe(enc) {
				t.Fatalf("Encode(%q) = %q holds a byte outside cookie-octets", s, enc)
			}
		}
		// Without '%' there is nothing to decode and s comes back as is.
		if d, ok := cookie.DecodeURIComponent(s); ok && strings.Contains(s, "%") && !utf8.ValidString(d) {
			t.Fatalf("Decode(%q) = %q is not UTF-8", s, d)
		}
	})
}

func isCookieSafe(s string) bool {
	c := cookie.Cookie{Name: "n", Value: s}
	_, err := c.Check("")
	return err == nil
}
