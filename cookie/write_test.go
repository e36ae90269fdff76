package cookie_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
)

func TestAppendSetCookie(t *testing.T) {
	exp := time.Date(2000, 1, 2, 3, 4, 5, 678e6, time.UTC)
	tests := []struct {
		name string
		c    cookie.Cookie
		want string
	}{
		{"defaults", cookie.Cookie{Name: "a", Value: "b"}, "a=b; Path=/; SameSite=Lax"},
		{"omit samesite", cookie.Cookie{Name: "a", Value: "b", SameSite: cookie.SameSiteOmit}, "a=b; Path=/"},
		{"empty value", cookie.Cookie{Name: "a", SameSite: cookie.SameSiteStrict}, "a=; Path=/; SameSite=Strict"},
		{"quoted value", cookie.Cookie{Name: "a", Value: `"bc"`}, `a="bc"; Path=/; SameSite=Lax`},
		{"session cookie", cookie.Cookie{
			Name: "__Host-sid", Value: "abc.def", Secure: true, HttpOnly: true,
			SameSite: cookie.SameSiteNone, Partitioned: true, Priority: cookie.PriorityHigh,
		}, "__Host-sid=abc.def; Path=/; HttpOnly; Secure; Partitioned; Priority=High; SameSite=None"},
		{"all attributes in Express order", cookie.Cookie{
			Name: "full", Value: "v", MaxAge: time.Hour, Domain: "example.com", Path: "/api",
			Expires: exp, HttpOnly: true, Secure: true, Partitioned: true,
			Priority: cookie.PriorityLow, SameSite: cookie.SameSiteStrict,
		}, "full=v; Max-Age=3600; Domain=example.com; Path=/api; Expires=Sun, 02 Jan 2000 03:04:05 GMT; HttpOnly; Secure; Partitioned; Priority=Low; SameSite=Strict"},
		{"leading dot kept", cookie.Cookie{Name: "a", Domain: ".example.com", SameSite: cookie.SameSiteOmit}, "a=; Domain=.example.com; Path=/"},
		{"max-age rounds down", cookie.Cookie{Name: "a", MaxAge: 1500 * time.Millisecond, SameSite: cookie.SameSiteOmit}, "a=; Max-Age=1; Path=/"},
		{"negative max-age deletes", cookie.Cookie{Name: "a", MaxAge: -1, SameSite: cookie.SameSiteOmit}, "a=; Max-Age=0; Path=/"},
		{"priority medium", cookie.Cookie{Name: "a", Priority: cookie.PriorityMedium, SameSite: cookie.SameSiteOmit}, "a=; Path=/; Priority=Medium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { // now = 2000-01-01, so exp is within 400 days
				line, warns, err := cookie.AppendSetCookie(nil, &tt.c, "api.example.com")
				if err != nil || warns != nil {
					t.Fatalf("got error %v, warnings %v; want none", err, warns)
				}
				if string(line) != tt.want {
					t.Fatalf("got  %s\nwant %s", line, tt.want)
				}
			})
		})
	}
}

// TestGuards checks every rule enforced at Set time, by rule id.
func TestGuards(t *testing.T) {
	long := strings.Repeat("x", 4097)
	tests := []struct {
		name string
		c    cookie.Cookie
		host string
		want problem.ID
	}{
		{"__Host- without Secure", cookie.Cookie{Name: "__Host-a"}, "", problem.CookiePrefix},
		{"__Host- with Domain", cookie.Cookie{Name: "__Host-a", Secure: true, Domain: "example.com"}, "", problem.CookiePrefix},
		{"__Host- with Path", cookie.Cookie{Name: "__Host-a", Secure: true, Path: "/api"}, "", problem.CookiePrefix},
		{"__host- lower case", cookie.Cookie{Name: "__host-a"}, "", problem.CookiePrefix},
		{"__Secure- without Secure", cookie.Cookie{Name: "__Secure-a"}, "", problem.CookiePrefix},
		{"__SECURE- upper case", cookie.Cookie{Name: "__SECURE-a"}, "", problem.CookiePrefix},
		{"__Http- without HttpOnly", cookie.Cookie{Name: "__Http-a", Secure: true}, "", problem.CookiePrefix},
		{"__Host-Http- without HttpOnly", cookie.Cookie{Name: "__Host-Http-a", Secure: true}, "", problem.CookiePrefix},
		{"name+value over 4096", cookie.Cookie{Name: "a", Value: long[:4096]}, "", problem.CookieTooLarge},
		{"path over 1024", cookie.Cookie{Name: "a", Path: "/" + long[:1024]}, "", problem.CookieTooLarge},
		{"domain over 1024", cookie.Cookie{Name: "a", Domain: long[:1025]}, "", problem.CookieTooLarge},
		{"SameSite=None without Secure", cookie.Cookie{Name: "a", SameSite: cookie.SameSiteNone}, "", problem.NoneWithoutSecure},
		{"Partitioned without Secure", cookie.Cookie{Name: "a", Partitioned: true}, "", problem.PartitionedNoSecure},
		{"public suffix", cookie.Cookie{Name: "a", Domain: "com"}, "", problem.InvalidDomain},
		{"public suffix, two labels", cookie.Cookie{Name: "a", Domain: "co.uk"}, "", problem.InvalidDomain},
		{"private public suffix", cookie.Cookie{Name: "a", Domain: ".github.io"}, "", problem.InvalidDomain},
		{"IPv4", cookie.Cookie{Name: "a", Domain: "127.0.0.1"}, "", problem.InvalidDomain},
		{"IPv6", cookie.Cookie{Name: "a", Domain: "::1"}, "", problem.InvalidDomain},
		{"localhost", cookie.Cookie{Name: "a", Domain: "localhost"}, "localhost:8080", problem.InvalidDomain},
		{"not a domain-match", cookie.Cookie{Name: "a", Domain: "example.com"}, "api.example.org", problem.InvalidDomain},
		{"suffix without dot", cookie.Cookie{Name: "a", Domain: "example.com"}, "badexample.com", problem.InvalidDomain},
		{"subdomain of the host", cookie.Cookie{Name: "a", Domain: "api.example.com"}, "example.com", problem.InvalidDomain},
		{"host is an IP", cookie.Cookie{Name: "a", Domain: "example.com"}, "192.0.2.1:443", problem.InvalidDomain},
		{"empty domain after dot", cookie.Cookie{Name: "a", Domain: "."}, "", problem.InvalidDomain},
		{"trailing dot", cookie.Cookie{Name: "a", Domain: "example.com."}, "", problem.InvalidDomain},
		{"non-ASCII domain", cookie.Cookie{Name: "a", Domain: "bücher.example"}, "", problem.InvalidDomain},
		{"domain with a space", cookie.Cookie{Name: "a", Domain: "exa mple.com"}, "", problem.InvalidDomain},
		{"empty label", cookie.Cookie{Name: "a", Domain: "a..example.com"}, "", problem.InvalidDomain},
		{"empty name", cookie.Cookie{Value: "v"}, "", problem.CookieSyntax},
		{"name with space", cookie.Cookie{Name: "a b"}, "", problem.CookieSyntax},
		{"name with =", cookie.Cookie{Name: "a=b"}, "", problem.CookieSyntax},
		{"value with ;", cookie.Cookie{Name: "a", Value: "b;c"}, "", problem.CookieSyntax},
		{"value with space", cookie.Cookie{Name: "a", Value: "hello world"}, "", problem.CookieSyntax},
		{"value with comma", cookie.Cookie{Name: "a", Value: "b,c"}, "", problem.CookieSyntax},
		{"value with backslash", cookie.Cookie{Name: "a", Value: `b\c`}, "", problem.CookieSyntax},
		{"value with inner quote", cookie.Cookie{Name: "a", Value: `b"c`}, "", problem.CookieSyntax},
		{"value with CTL", cookie.Cookie{Name: "a", Value: "b\x00"}, "", problem.CookieSyntax},
		{"value non-ASCII", cookie.Cookie{Name: "a", Value: "é"}, "", problem.CookieSyntax},
		{"relative path", cookie.Cookie{Name: "a", Path: "api"}, "", problem.CookieSyntax},
		{"path with ;", cookie.Cookie{Name: "a", Path: "/a;b"}, "", problem.CookieSyntax},
		{"unknown SameSite", cookie.Cookie{Name: "a", SameSite: 9}, "", problem.CookieSyntax},
		{"unknown Priority", cookie.Cookie{Name: "a", Priority: 9}, "", problem.CookieSyntax},
		{"MaxAge of seconds as nanoseconds", cookie.Cookie{Name: "a", MaxAge: 3600}, "", problem.CookieSyntax},
		{"Expires before 1601", cookie.Cookie{Name: "a", Expires: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)}, "", problem.CookieSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("prefix")
			line, _, err := cookie.AppendSetCookie(dst, &tt.c, tt.host)
			if string(line) != "prefix" {
				t.Fatalf("appended %q despite the error, want nothing", line[len("prefix"):])
			}
			var p *problem.Problem
			if !errors.As(err, &p) {
				t.Fatalf("got %v, want a *problem.Problem", err)
			}
			if !hasRule(err, tt.want) {
				t.Fatalf("got %v, want rule %s", err, tt.want)
			}
			if p.Severity != problem.Error {
				t.Fatalf("got severity %v, want error", p.Severity)
			}
			if _, err2 := tt.c.Check(tt.host); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("Check: got %v, want %v", err2, err)
			}
		})
	}
}

// hasRule reports whether err (a tree of joined errors) holds a problem of rule id.
func hasRule(err error, id problem.ID) bool {
	var p *problem.Problem
	if errors.As(err, &p) && p.Rule == id {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if hasRule(e, id) {
				return true
			}
		}
	}
	return false
}

func TestGuardsReportEveryProblem(t *testing.T) {
	c := cookie.Cookie{Name: "__Host-a b", Domain: "com", SameSite: cookie.SameSiteNone, Partitioned: true}
	_, err := c.Check("")
	for _, id := range []problem.ID{problem.CookieSyntax, problem.InvalidDomain, problem.NoneWithoutSecure, problem.PartitionedNoSecure, problem.CookiePrefix} {
		if !hasRule(err, id) {
			t.Errorf("got %v, want it to include %s", err, id)
		}
	}
}

func TestAccepted(t *testing.T) {
	tests := []struct {
		name string
		c    cookie.Cookie
		host string
	}{
		{"domain equals host", cookie.Cookie{Name: "a", Domain: "example.com"}, "example.com"},
		{"parent domain", cookie.Cookie{Name: "a", Domain: "example.com"}, "api.example.com:8443"},
		{"leading dot", cookie.Cookie{Name: "a", Domain: ".example.com"}, "api.example.com"},
		{"case-insensitive", cookie.Cookie{Name: "a", Domain: "Example.COM"}, "API.example.com"},
		{"host with trailing dot", cookie.Cookie{Name: "a", Domain: "example.com"}, "api.example.com."},
		{"registrable under a private suffix", cookie.Cookie{Name: "a", Domain: "me.github.io"}, "me.github.io"},
		{"no host given", cookie.Cookie{Name: "a", Domain: "example.co.uk"}, ""},
		{"__Secure- with Domain", cookie.Cookie{Name: "__Secure-a", Secure: true, Domain: "example.com"}, "example.com"},
		{"__Host- explicit root path", cookie.Cookie{Name: "__Host-a", Secure: true, Path: "/"}, "example.com"},
		{"exactly 4096", cookie.Cookie{Name: "a", Value: strings.Repeat("x", 4095)}, ""},
		{"IPv6 host, no Domain", cookie.Cookie{Name: "a"}, "[::1]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w, err := tt.c.Check(tt.host); err != nil || w != nil {
				t.Fatalf("got (%v, %v), want no problem", w, err)
			}
		})
	}
}

func TestLifetimeCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		now := time.Now() // 2000-01-01 00:00:00 UTC in the bubble
		c := cookie.Cookie{Name: "a", MaxAge: 500 * 24 * time.Hour, Expires: now.Add(450 * 24 * time.Hour), SameSite: cookie.SameSiteOmit}
		line, warns, err := cookie.AppendSetCookie(nil, &c, "")
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		want := "a=; Max-Age=34560000; Path=/; Expires=" + now.Add(cookie.MaxLifetime).Format("Mon, 02 Jan 2006 15:04:05 GMT")
		if string(line) != want {
			t.Fatalf("got  %s\nwant %s", line, want)
		}
		if len(warns) != 2 {
			t.Fatalf("got %d warnings (%v), want 2", len(warns), warns)
		}
		for _, w := range warns {
			if w.Rule != problem.LifetimeCapped || w.Severity != problem.Warning {
				t.Fatalf("got %v, want a SES019 warning", w)
			}
		}
		// Exactly 400 days is not capped.
		c = cookie.Cookie{Name: "a", MaxAge: cookie.MaxLifetime, Expires: now.Add(cookie.MaxLifetime)}
		if w, err := c.Check(""); w != nil || err != nil {
			t.Fatalf("400 days: got (%v, %v), want nothing", w, err)
		}
	})
}

func TestSetAndClear(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := cookie.Cookie{Name: "sid", Value: "v", Domain: "example.com", Path: "/app", Secure: true, HttpOnly: true, SameSite: cookie.SameSiteNone, Partitioned: true, MaxAge: time.Hour}
		r := httptest.NewRequest("GET", "https://api.example.com/app/x", nil)
		w := httptest.NewRecorder()
		if _, err := cookie.Set(w, r, &c); err != nil {
			t.Fatal(err)
		}
		if err := cookie.Clear(w, r, &c); err != nil {
			t.Fatal(err)
		}
		got := w.Header().Values("Set-Cookie")
		want := []string{
			"sid=v; Max-Age=3600; Domain=example.com; Path=/app; HttpOnly; Secure; Partitioned; SameSite=None",
			"sid=; Max-Age=0; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; Partitioned; SameSite=None",
		}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("got  %q\nwant %q", got, want)
		}

		bad := cookie.Cookie{Name: "sid", Domain: "example.org"}
		w = httptest.NewRecorder()
		if _, err := cookie.Set(w, r, &bad); !hasRule(err, problem.InvalidDomain) {
			t.Fatalf("got %v, want SES008", err)
		}
		if got := w.Header().Values("Set-Cookie"); len(got) != 0 {
			t.Fatalf("got %q written, want nothing", got)
		}
		if err := cookie.Clear(w, r, &bad); !hasRule(err, problem.InvalidDomain) {
			t.Fatalf("Clear: got %v, want SES008", err)
		}
	})
}

func TestAppendSetCookieAllocs(t *testing.T) {
	for _, c := range []cookie.Cookie{
		{Name: "__Host-sid", Value: strings.Repeat("x", 87), Secure: true, HttpOnly: true, SameSite: cookie.SameSiteNone, Partitioned: true, MaxAge: time.Hour, Expires: time.Now().Add(time.Hour)},
		{Name: "sid", Value: "v", Domain: "example.com", Path: "/app", Secure: true, Priority: cookie.PriorityHigh},
	} {
		t.Run(c.Name, func(t *testing.T) {
			buf := make([]byte, 0, 512)
			if n := testing.AllocsPerRun(100, func() {
				buf, _, _ = cookie.AppendSetCookie(buf[:0], &c, "api.example.com")
			}); n != 0 {
				t.Fatalf("got %v allocations per AppendSetCookie, want 0", n)
			}
		})
	}
}

func BenchmarkAppendSetCookie(b *testing.B) {
	c := cookie.Cookie{Name: "__Host-sid", Value: strings.Repeat("x", 87), Secure: true, HttpOnly: true, SameSite: cookie.SameSiteNone, Partitioned: true, MaxAge: time.Hour, Expires: time.Now().Add(time.Hour)}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf, _, _ = cookie.AppendSetCookie(buf[:0], &c, "api.example.com")
	}
}

func BenchmarkSet(b *testing.B) {
	c := cookie.Cookie{Name: "sid", Value: strings.Repeat("x", 87), Domain: "example.com", Secure: true, HttpOnly: true, SameSite: cookie.SameSiteLax, MaxAge: time.Hour}
	r := httptest.NewRequest("GET", "https://api.example.com/", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.Header())
		if _, err := cookie.Set(w, r, &c); err != nil {
			b.Fatal(err)
		}
	}
}
