package cookie_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

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
