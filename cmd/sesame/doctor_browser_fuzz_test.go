package main

import (
	"strings"
	"testing"
)

// FuzzCookieShape: the shape of a Set-Cookie line ignores its value (the two
// probes log in separately and get different session IDs) and nothing else.
func FuzzCookieShape(f *testing.F) {
	f.Add("sid", "abc", "Path=/; HttpOnly; Secure; SameSite=None")
	f.Add("__Host-sid", "", "")
	f.Fuzz(func(t *testing.T, name, value, attrs string) {
		if strings.ContainsAny(name, "=;") || strings.Contains(value, ";") {
			return
		}
		a := cookieShape("Set-Cookie: " + name + "=" + value + "; " + attrs)
		b := cookieShape("Set-Cookie: " + name + "=other-" + value + "; " + attrs)
		if a != b {
			t.Errorf("shape depends on the value: got %q and %q", a, b)
		}
		if c := cookieShape("Set-Cookie: " + name + "x=" + value + "; " + attrs); c == a && strings.TrimSpace(name+"x") != strings.TrimSpace(name) {
			t.Errorf("shape ignores the name: %q", c)
		}
	})
}

// FuzzResolverMap: --resolve host:port:addr never panics, and an accepted entry
// maps its lower-cased host.
func FuzzResolverMap(f *testing.F) {
	f.Add("api.example.test:443:127.0.0.1")
	f.Add("api.example.test:443:::1")
	f.Add("x")
	f.Fuzz(func(t *testing.T, r string) {
		m, err := resolverMap([]string{r})
		if err != nil {
			return
		}
		host, _, _ := strings.Cut(r, ":")
		if _, ok := m[strings.ToLower(host)]; !ok {
			t.Errorf("resolverMap(%q) = %v: no entry for %q", r, m, host)
		}
	})
}
