package doctor_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestEvaluateSetCookie: one row per rule the cookie evaluation knows, plus the
// cookies that must pass.
func TestEvaluateSetCookie(t *testing.T) {
	const (
		api      = "https://api.example.com/api/login"
		same     = "https://app.example.com"
		cross    = "https://app.other.com"
		httpAPI  = "http://api.example.com/api/login"
		localAPI = "http://localhost:8080/api/login"
	)
	type finding struct {
		rule problem.ID
		sev  problem.Severity
	}
	E := func(id problem.ID) finding { return finding{id, problem.Error} }
	W := func(id problem.ID) finding { return finding{id, problem.Warning} }
	tests := []struct {
		name      string
		setCookie string
		url       string
		origin    string
		want      []finding
		stored    bool
	}{
		{"same-site lax secure", "sid=a; Path=/; Secure; HttpOnly; SameSite=Lax", api, same, nil, true},
		{"SES007 cross-site partitioned: still a third-party cookie", "sid=a; Path=/; Secure; SameSite=None; Partitioned", api, cross, []finding{W(problem.ThirdPartyBlocking)}, true},
		{"SES001 secure over http", "sid=a; Secure; SameSite=Lax", httpAPI, "http://app.example.com", []finding{E(problem.SecureOverHTTP)}, false},
		{"SES001 secure on http localhost: Safari only", "sid=a; Secure; SameSite=Lax", localAPI, "http://localhost:5173", []finding{W(problem.SecureOverHTTP)}, true},
		{"SES005 lax cross-site", "sid=a; Secure; SameSite=Lax", api, cross, []finding{E(problem.CrossSiteLax)}, false},
		{"SES005 strict cross-site", "sid=a; Secure; SameSite=Strict", api, cross, []finding{E(problem.CrossSiteLax)}, false},
		{"SES005 no SameSite cross-site (Chromium Lax by default)", "sid=a; Secure", api, cross, []finding{E(problem.CrossSiteLax)}, false},
		{"SES005 public suffix: two herokuapp apps are cross-site", "sid=a; Secure; SameSite=Lax", "https://api.herokuapp.com/x", "https://app.herokuapp.com", []finding{E(problem.CrossSiteLax)}, false},
		{"SES006 None without Secure", "sid=a; SameSite=None", api, cross, []finding{E(problem.NoneWithoutSecure)}, false},
		{"SES007 third-party cookie", "sid=a; Secure; SameSite=None", api, cross, []finding{W(problem.ThirdPartyBlocking)}, true},
		// SES038 is the rule for it (the doctor's own copy of the cookie rules
		// said SES007).
		{"SES038 Partitioned without Secure", "sid=a; SameSite=Lax; Partitioned", api, same, []finding{E(problem.PartitionedNoSecure)}, false},
		{"SES008 front end's domain", "sid=a; Secure; SameSite=Lax; Domain=app.example.com", api, same, []finding{E(problem.InvalidDomain)}, false},
		{"SES008 public suffix", "sid=a; Secure; SameSite=Lax; Domain=herokuapp.com", "https://api.herokuapp.com/x", "https://api.herokuapp.com", []finding{E(problem.InvalidDomain)}, false},
		{"SES008 domain on an IP", "sid=a; SameSite=Lax; Domain=example.com", "http://127.0.0.1:8080/x", "http://127.0.0.1:5173", []finding{E(problem.InvalidDomain)}, false},
		{"parent domain is fine", "sid=a; Secure; SameSite=Lax; Domain=.example.com", api, same, nil, true},
		{"SES018 too large", "sid=" + strings.Repeat("a", 4094) + "; Secure; SameSite=Lax", api, same, []finding{E(problem.CookieTooLarge)}, false},
		{"4096 bytes is fine", "sid=" + strings.Repeat("a", 4093) + "; Secure; SameSite=Lax", api, same, nil, true},
		{"SES018 oversized attribute", "sid=a; Secure; SameSite=Lax; Path=/" + strings.Repeat("p", 1100), api, same, []finding{W(problem.CookieTooLarge)}, true},
		{"SES019 Max-Age over 400 days", "sid=a; Secure; SameSite=Lax; Max-Age=40000000", api, same, []finding{W(problem.LifetimeCapped)}, true},
		{"SES019 Expires over 400 days", "sid=a; Secure; SameSite=Lax; Expires=Fri, 01 Jan 2100 00:00:00 GMT", api, same, []finding{W(problem.LifetimeCapped)}, true},
		{"SES028 __Host- with Domain", "__Host-sid=a; Secure; Path=/; SameSite=Lax; Domain=api.example.com", api, same, []finding{E(problem.CookiePrefix)}, false},
		{"SES028 __Host- without Path=/", "__Host-sid=a; Secure; SameSite=Lax", api, same, []finding{E(problem.CookiePrefix)}, false},
		{"SES028 __host- any case", "__HOST-sid=a; SameSite=Lax; Path=/", api, same, []finding{E(problem.CookiePrefix)}, false},
		{"SES028 __Secure- without Secure", "__Secure-sid=a; SameSite=Lax", api, same, []finding{E(problem.CookiePrefix)}, false},
		// The later prefixes, which the doctor's own copy of the rules did not
		// know: package cookie's rules apply.
		{"SES028 __Http- without HttpOnly", "__Http-sid=a; Secure; Path=/; SameSite=Lax", api, same, []finding{E(problem.CookiePrefix)}, false},
		{"SES028 __Host-Http- without HttpOnly", "__Host-Http-sid=a; Secure; Path=/; SameSite=Lax", api, same, []finding{E(problem.CookiePrefix)}, false},
		{"__Host-Http- done right", "__Host-Http-sid=a; Secure; HttpOnly; Path=/; SameSite=Lax", api, same, nil, true},
		{"Max-Age=0 deletes, no finding", "sid=; Secure; SameSite=Lax; Max-Age=0", api, same, nil, true},
		{"nameless cookie: browsers keep it", "abc; Secure; SameSite=Lax", api, same, nil, true},
		{"Secure on http 127.0.0.2: loopback", "sid=a; Secure; SameSite=Lax", "http://127.0.0.2:8080/x", "http://127.0.0.2:5173", []finding{W(problem.SecureOverHTTP)}, true},
		// The prefix wants the attribute, even where the default-path is "/".
		{"SES028 __Host- without Path, from the root", "__Host-sid=a; Secure; SameSite=Lax", "https://api.example.com/login", same, []finding{E(problem.CookiePrefix)}, false},
		{"no Path from the root is fine", "sid=a; Secure; SameSite=Lax", "https://api.example.com/login", same, nil, true},
		{"__Host- done right", "__Host-sid=a; Secure; Path=/; SameSite=Lax", api, same, nil, true},
		{"SES032 http front end, https API", "sid=a; Secure; SameSite=Lax", api, "http://app.example.com", []finding{E(problem.MixedScheme)}, false},
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := doctor.ParseSetCookie(tt.setCookie)
			if err != nil {
				t.Fatal(err)
			}
			v := doctor.EvaluateSetCookie(c, doctor.CookieContext{URL: mustURL(tt.url), Origin: mustURL(tt.origin), Now: now})
			var got []finding
			for _, p := range v.Problems {
				got = append(got, finding{p.Rule, p.Severity})
				if p.Detail == "" {
					t.Errorf("%s: got an empty detail, want what was found", p.Rule)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems: got %v, want %v (%v)", got, tt.want, v.Problems)
			}
			if v.Stored != tt.stored {
				t.Errorf("stored: got %v, want %v", v.Stored, tt.stored)
			}
		})
	}
}

func BenchmarkParseAndEvaluateSetCookie(b *testing.B) {
	cc := doctor.CookieContext{URL: mustURL("https://api.site-b.test/api/login"), Origin: mustURL("https://app.site-a.test")}
	b.ReportAllocs()
	for b.Loop() {
		c, err := doctor.ParseSetCookie("__Host-sid=abcdefghijklmnopqrstuvwxyz; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=86400")
		if err != nil {
			b.Fatal(err)
		}
		doctor.EvaluateSetCookie(c, cc)
	}
}
