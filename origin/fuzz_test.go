package origin_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/origin"
)

// FuzzSplit checks that whatever Split accepts is rebuilt byte for byte from its
// parts and is matched by an exact pattern of itself, and that a pattern never
// matches across a label boundary.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "http://localhost:5173", "http://[::1]:3000", "null", "https://a..b", "https://x.example.com:443", ""} {
		f.Add(s)
	}
	sub, _ := origin.ParsePattern("https://*.example.com")
	f.Fuzz(func(t *testing.T, s string) {
		scheme, host, port, ok := origin.Split(s)
		if !ok {
			return
		}
		re := scheme + "://" + host
		if port != "" {
			re += ":" + port
		}
		if re != s {
			t.Fatalf("Split(%q) parts rebuild %q", s, re)
		}
		if sub.Match(scheme, host, port) && (!strings.HasSuffix(host, ".example.com") || scheme != "https" || port != "") {
			t.Fatalf("pattern %v matched %q", sub, s)
		}
	})
}

// FuzzParsePattern checks that an entry accepted without problems is already in
// the form Suggest gives and survives String unchanged.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "https://*.example.com", "http://localhost:*", "https://App.example.com/", "http://[::1]:80", "https://café.example", "null", "*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, probs := origin.ParsePattern(s)
		if len(probs) > 0 {
			return
		}
		if got := p.String(); got != s {
			t.Fatalf("ParsePattern(%q) accepted, String gives %q", s, got)
		}
		if p.Exact() {
			l, err := origin.ParseList([]string{s}, origin.Options{})
			if err != nil {
				t.Fatalf("ParseList(%q): %v", s, err)
			}
			if !l.Allows(s) {
				t.Fatalf("list of %q does not allow it", s)
			}
		}
	})
}

// FuzzSite: for any host, the loopback and site helpers never panic and agree
// with each other: a localhost name is loopback, an origin is same-origin with
// itself, and a host's site is the host or a parent of it.
func FuzzSite(f *testing.F) {
	for _, s := range []string{"localhost", "app.localhost:5173", "127.0.0.1", "[::1]:80", "::1", "api.example.co.uk", "x.kawasaki.jp", "", ".", "a..b", "[", "1.2.3.4.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		if origin.IsLocalhost(host) && !origin.IsLoopback(host) {
			t.Fatalf("IsLocalhost(%q) but not IsLoopback", host)
		}
		o := origin.Origin{Scheme: "https", Host: host}
		if rel, _ := origin.Relate(o, o); rel != origin.SameOrigin {
			t.Fatalf("Relate(%v, itself) = %v", o, rel)
		}
		d := origin.SiteOf("https", host).Domain
		if d != host && !strings.HasSuffix(host, "."+d) {
			t.Fatalf("site of %q is %q: neither the host nor a parent", host, d)
		}
		origin.IsPublicSuffix(host)
		origin.PublicSuffix(host)
	})
}
