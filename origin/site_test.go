package origin_test

import (
	"net/url"
	"testing"

	"github.com/sesame-go/sesame/origin"
)

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		host      string
		loopback  bool
		localhost bool
	}{
		{"localhost", true, true},
		{"LocalHost", true, true},
		{"app.localhost", true, true},
		{"a.b.localhost", true, true},
		{"localhost:8080", true, false}, // IsLocalhost takes no port
		{"app.localhost:5173", true, false},
		{"127.0.0.1", true, false},
		{"127.0.0.1:8080", true, false},
		{"127.1.2.3", true, false}, // all of 127.0.0.0/8 (one copy knew only 127.0.0.1)
		{"::1", true, false},
		{"[::1]", true, false},
		{"[::1]:3000", true, false},
		{"notlocalhost", false, false},
		{"localhost.example.com", false, false},
		{"example.com", false, false},
		{"128.0.0.1", false, false},
		{"10.0.0.1", false, false},
		{"[::2]", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := origin.IsLoopback(tt.host); got != tt.loopback {
			t.Errorf("IsLoopback(%q): got %v, want %v", tt.host, got, tt.loopback)
		}
		if got := origin.IsLocalhost(tt.host); got != tt.localhost {
			t.Errorf("IsLocalhost(%q): got %v, want %v", tt.host, got, tt.localhost)
		}
	}
}

func TestRelate(t *testing.T) {
	tests := []struct {
		from, to   string
		rel        origin.Relation
		schemeOnly bool
	}{
		{"https://app.example.com", "https://app.example.com:443/x", origin.SameOrigin, false},
		{"https://app.example.com", "https://APP.example.com./x", origin.SameOrigin, false},
		{"https://app.example.com", "https://api.example.com/x", origin.SameSite, false},
		{"https://app.example.com", "https://app.example.com:8443/x", origin.SameSite, false},
		{"https://app.example.co.uk", "https://api.example.co.uk/x", origin.SameSite, false},
		{"https://app.herokuapp.com", "https://api.herokuapp.com/x", origin.CrossSite, false},
		{"https://a.myapp.uc.r.appspot.com", "https://b.myapp.uc.r.appspot.com/x", origin.SameSite, false},
		{"https://a.x.r.appspot.com", "https://b.y.r.appspot.com/x", origin.CrossSite, false},
		{"https://app.site-a.test", "https://api.site-b.test/x", origin.CrossSite, false},
		{"http://app.example.com", "https://api.example.com/x", origin.CrossSite, true},
		{"http://localhost:5173", "http://localhost:8080/x", origin.SameSite, false},
		{"http://app.localhost:5173", "http://api.localhost:8080/x", origin.CrossSite, false},
		{"http://127.0.0.1:5173", "http://localhost:8080/x", origin.CrossSite, false},
		{"http://127.0.0.1:5173", "http://127.0.0.1:8080/x", origin.SameSite, false},
		{"http://[::1]:5173", "http://[::1]:5173/x", origin.SameOrigin, false},
	}
	for _, tt := range tests {
		t.Run(tt.from+" "+tt.to, func(t *testing.T) {
			a, b := origin.FromURL(mustURL(t, tt.from)), origin.FromURL(mustURL(t, tt.to))
			rel, schemeOnly := origin.Relate(a, b)
			if rel != tt.rel || schemeOnly != tt.schemeOnly {
				t.Errorf("got (%s, %v), want (%s, %v)", rel, schemeOnly, tt.rel, tt.schemeOnly)
			}
		})
	}
}

func TestSiteOf(t *testing.T) {
	tests := []struct {
		scheme, host, want string
	}{
		{"https", "api.example.com", "https://example.com"},
		{"https", "a.b.example.co.uk", "https://example.co.uk"},
		{"https", "herokuapp.com", "https://herokuapp.com"},
		{"https", "app.herokuapp.com", "https://app.herokuapp.com"},
		{"http", "localhost", "http://localhost"},
		{"http", "app.localhost", "http://app.localhost"},
		{"http", "127.0.0.1", "http://127.0.0.1"},
		{"http", "[::1]", "http://[::1]"},
		{"http", "::1", "http://::1"},
	}
	for _, tt := range tests {
		if got := origin.SiteOf(tt.scheme, tt.host).String(); got != tt.want {
			t.Errorf("SiteOf(%q, %q): got %s, want %s", tt.scheme, tt.host, got, tt.want)
		}
	}
}

func TestPublicSuffix(t *testing.T) {
	tests := []struct {
		domain   string
		isSuffix bool
		suffix   string
		private  bool
	}{
		{"com", true, "com", false},
		{"example.com", false, "com", false},
		{"co.uk", true, "co.uk", false},
		{"herokuapp.com", true, "herokuapp.com", true},
		{"app.herokuapp.com", false, "herokuapp.com", true},
		{"localhost", true, "localhost", false},
		{"x.kawasaki.jp", true, "x.kawasaki.jp", false},
	}
	for _, tt := range tests {
		if got := origin.IsPublicSuffix(tt.domain); got != tt.isSuffix {
			t.Errorf("IsPublicSuffix(%q): got %v, want %v", tt.domain, got, tt.isSuffix)
		}
		suffix, private := origin.PublicSuffix(tt.domain)
		if suffix != tt.suffix || private != tt.private {
			t.Errorf("PublicSuffix(%q): got (%q, %v), want (%q, %v)", tt.domain, suffix, private, tt.suffix, tt.private)
		}
	}
}

func TestOriginString(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://App.Example.com:443/x?y", "https://app.example.com"},
		{"http://localhost:80", "http://localhost"},
		{"http://localhost:8080", "http://localhost:8080"},
		{"http://[::1]:3000/", "http://[::1]:3000"},
	}
	for _, tt := range tests {
		if got := origin.FromURL(mustURL(t, tt.url)).String(); got != tt.want {
			t.Errorf("FromURL(%q): got %s, want %s", tt.url, got, tt.want)
		}
	}
}

func TestIsPublicSuffixAllocs(t *testing.T) {
	origin.IsPublicSuffix("example.co.uk")
	if n := testing.AllocsPerRun(100, func() { origin.IsPublicSuffix("example.co.uk") }); n != 0 {
		t.Errorf("got %v allocations for a repeated domain, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { origin.IsLoopback("app.example.com:8443") }); n != 0 {
		t.Errorf("IsLoopback: got %v allocations, want 0", n)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
