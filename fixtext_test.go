package sesame_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
	"github.com/sesame-go/sesame/session"
)

// configTypes are the configurations a user can call; a message names a field
// as "<package>.Config.<Field>".
var configTypes = map[string]reflect.Type{
	"sesame":  reflect.TypeFor[sesame.Config](),
	"proxy":   reflect.TypeFor[proxy.Config](),
	"cors":    reflect.TypeFor[cors.Config](),
	"csrf":    reflect.TypeFor[csrf.Config](),
	"session": reflect.TypeFor[session.Config](),
}

var fieldRef = regexp.MustCompile(`\b(sesame|proxy|cors|csrf|session)\.Config\.([A-Z][A-Za-z.]*[A-Za-z])`)

// stageOnly are field names of the stages' configurations that sesame.Config does
// not have: a message from a Stack must not name them, even unqualified.
var stageOnly = regexp.MustCompile(`(^|[\s"'(])(Trusted|Hops|Origins|TrustedOrigins|Allowlist|Credentials|Methods|RequestHeaders|MaxAge|IsHTTPS|ErrorFunc|Debug)\b`)

var fieldLike = regexp.MustCompile(`\b(?:Allow|Allowed|Expose|Exposed|Trusted|Frontend|Proxy|Cookie|CORS|Idle|Absolute|Store|Session|Touch)[A-Z][A-Za-z]*\b`)

// checkText fails when text names a field that does not exist on the API the
// user called (api), or a field of another API.
func checkText(t *testing.T, api, where, text string) {
	t.Helper()
	for _, m := range fieldRef.FindAllStringSubmatch(text, -1) {
		pkg, field := m[1], m[2]
		if pkg != api {
			// A stage used alone may point at the stage that feeds it (the CSRF
			// stage's Allowlist is the CORS stage's list).
			if !(api == "csrf" && m[0] == "cors.Config.Origins") {
				t.Errorf("%s: %q names %s, a field of another API than %s.Config", where, text, m[0], api)
			}
			continue
		}
		typ := configTypes[pkg]
		for part := range strings.SplitSeq(field, ".") {
			f, ok := typ.FieldByName(part)
			if !ok {
				t.Errorf("%s: %q names %s, which %s.Config does not have", where, text, m[0], pkg)
				break
			}
			typ = f.Type
		}
	}
	if api == "sesame" {
		if m := stageOnly.FindStringSubmatch(text); m != nil {
			t.Errorf("%s: %q names %s, which sesame.Config does not have", where, text, m[2])
		}
		// Anything spelled like one of sesame.Config's fields must be one
		// ("AllowedHeaders" is not; AllowHeaders is).
		for _, w := range fieldLike.FindAllString(text, -1) {
			if _, ok := configTypes["sesame"].FieldByName(w); !ok {
				t.Errorf("%s: %q names %s, which sesame.Config does not have", where, text, w)
			}
		}
	}
}

// checkProblems checks every problem in err (or among warnings) with checkText,
// and that a problem New refuses with is an error in the catalogue too: the
// catalogue's severity and the code's are one fact (docs/doctor.md is generated
// from it).
func checkProblems(t *testing.T, api, where string, err error, warnings []*problem.Problem) []problem.ID {
	t.Helper()
	var ids []problem.ID
	var all []*problem.Problem
	for _, e := range flattenAll(err) {
		var p *problem.Problem
		if !errors.As(e, &p) {
			t.Errorf("%s: error %q carries no rule id", where, e)
			continue
		}
		all = append(all, p)
	}
	all = append(all, warnings...)
	for _, p := range all {
		ids = append(ids, p.Rule)
		checkText(t, api, where+" "+string(p.Rule)+" detail", p.Detail)
		checkText(t, api, where+" "+string(p.Rule)+" fix", p.Fix)
		rule, ok := doctor.Lookup(p.Rule)
		if !ok {
			t.Errorf("%s: rule %s is not in the catalogue", where, p.Rule)
			continue
		}
		if p.Severity == problem.Error && rule.Severity != problem.Error {
			t.Errorf("%s: New fails with %s, which the catalogue (docs/doctor.md) calls a %s", where, p.Rule, rule.Severity)
		}
	}
	return ids
}

func flattenAll(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range u.Unwrap() {
			out = append(out, flattenAll(e)...)
		}
		return out
	}
	return []error{err}
}

// TestFixTextsNameTheCalledAPI walks the construction problems of every stage,
// built alone and through sesame.New, and checks that each names only fields of
// the API that was called (issue 14, defect 3).
func TestFixTextsNameTheCalledAPI(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	api := "https://api.example.com"
	cases := []struct {
		name  string
		alone func() (string, []*problem.Problem, error) // the stage used alone: its package, New's error, warnings
		stack sesame.Config                              // the same mistake through the Stack
		want  problem.ID
	}{
		{"proxy entry", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Trusted: []string{"the load balancer"}})
			return "proxy", nil, err
		}, sesame.Config{TrustedProxies: []string{"the load balancer"}}, problem.InvalidProxyConfig},
		{"proxy empty entry", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Trusted: []string{" "}})
			return "proxy", nil, err
		}, sesame.Config{TrustedProxies: []string{" "}}, problem.InvalidProxyConfig},
		{"proxy everything", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Trusted: []string{"0.0.0.0/0"}})
			return "proxy", nil, err
		}, sesame.Config{TrustedProxies: []string{"0.0.0.0/0"}}, problem.InvalidProxyConfig},
		{"proxy hops and list", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Trusted: []string{"loopback"}, Hops: 1})
			return "proxy", nil, err
		}, sesame.Config{TrustedProxies: []string{"loopback"}, ProxyHops: 1}, problem.InvalidProxyConfig},
		{"proxy negative hops", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Hops: -1})
			return "proxy", nil, err
		}, sesame.Config{ProxyHops: -1}, problem.InvalidProxyConfig},
		{"proxy source", func() (string, []*problem.Problem, error) {
			_, err := proxy.New(proxy.Config{Source: 7})
			return "proxy", nil, err
		}, sesame.Config{ProxyHeader: 7}, problem.InvalidProxyConfig},
		{"cors wildcard header", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true, RequestHeaders: []string{"*"}})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"*"}}, problem.WildcardHeaders},
		{"cors wildcard method", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true, Methods: []string{"*"}})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"*"}}, problem.WildcardHeaders},
		{"cors expose wildcard", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true, ExposeHeaders: []string{"*"}})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, ExposeHeaders: []string{"*"}}, problem.WildcardHeaders},
		{"cors expose Set-Cookie", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, ExposeHeaders: []string{"Set-Cookie"}})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, ExposeHeaders: []string{"Set-Cookie"}}, problem.ExposeSetCookie},
		{"cors forbidden header", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, RequestHeaders: []string{"Cookie"}})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"Cookie"}}, problem.InvalidName},
		{"cors max age over every cap", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, MaxAge: 48 * time.Hour})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, CORSMaxAge: 48 * time.Hour}, problem.MaxAgeCapped},
		{"cors max age over Chromium's cap (warning)", func() (string, []*problem.Problem, error) {
			c, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, MaxAge: 3 * time.Hour})
			return "cors", c.Warnings(), err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com"}, CORSMaxAge: 3 * time.Hour}, problem.MaxAgeCapped},
		{"cors insecure origin", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"http://app.example.com"}, Credentials: true})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"http://app.example.com"}}, problem.InsecureOrigin},
		{"cors wildcard origin", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"*"}, Credentials: true})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"*"}}, problem.WildcardCredentials},
		{"origin with a path", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://app.example.com/"}, Credentials: true})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://app.example.com/"}}, problem.MalformedOrigin},
		{"null origin", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"null"}, Credentials: true})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"null"}}, problem.NullOrigin},
		{"pattern over a public suffix", func() (string, []*problem.Problem, error) {
			_, err := cors.New(cors.Config{Origins: []string{"https://*.herokuapp.com"}, Credentials: true})
			return "cors", nil, err
		}, sesame.Config{FrontendOrigins: []string{"https://*.herokuapp.com"}}, problem.PublicSuffixWildcard},
		{"csrf insecure origin", func() (string, []*problem.Problem, error) {
			_, err := csrf.New(csrf.Config{TrustedOrigins: []string{"http://app.example.com"}})
			return "csrf", nil, err
		}, sesame.Config{FrontendOrigins: []string{"http://app.example.com"}}, problem.InsecureOrigin},
		{"csrf everyone", func() (string, []*problem.Problem, error) {
			_, err := csrf.New(csrf.Config{TrustedOrigins: []string{"*"}})
			return "csrf", nil, err
		}, sesame.Config{FrontendOrigins: []string{"*"}}, problem.CSRFDisabled},
		{"session store missing", func() (string, []*problem.Problem, error) {
			kr, _ := cookie.NewKeyring(testKey)
			_, err := session.New(session.Config{Keys: kr})
			return "session", nil, err
		}, sesame.Config{Store: nil}, problem.InvalidStoreConfig},
		{"session keys missing", func() (string, []*problem.Problem, error) {
			_, err := session.New(session.Config{Store: memStore(t)})
			return "session", nil, err
		}, sesame.Config{Keys: [][]byte{}}, problem.WeakKey},
		{"session lifetime (warning)", func() (string, []*problem.Problem, error) {
			kr, _ := cookie.NewKeyring(testKey)
			m, err := session.New(session.Config{Store: memStore(t), Keys: kr, AbsoluteTimeout: 500 * 24 * time.Hour})
			return "session", m.Warnings(), err
		}, sesame.Config{AbsoluteTimeout: 500 * 24 * time.Hour}, problem.LifetimeCapped},
		{"session cookie prefix", func() (string, []*problem.Problem, error) {
			kr, _ := cookie.NewKeyring(testKey)
			_, err := session.New(session.Config{Store: memStore(t), Keys: kr, Cookie: session.CookieConfig{Name: "__Host-x", Domain: "example.com", SameSite: cookie.SameSiteLax}})
			return "session", nil, err
		}, sesame.Config{CookieName: "__Host-x", CookieDomain: "example.com"}, problem.CookiePrefix},
	}
	// The rule through the Stack, where it differs: the CORS stage refuses "*"
	// before the CSRF stage sees it.
	wantStack := map[string]problem.ID{"csrf everyone": problem.WildcardCredentials}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pkg, warnings, err := c.alone()
			if ids := checkProblems(t, pkg, pkg+".New", err, warnings); !slicesContains(ids, c.want) {
				t.Errorf("%s.New: got rules %v (%v), want %s", pkg, ids, err, c.want)
			}
			cfg := c.stack
			cfg.APIOrigin = api
			if cfg.Keys == nil {
				cfg.Keys = [][]byte{testKey}
			}
			if c.want != problem.InvalidStoreConfig {
				cfg.Store = memStore(t)
			}
			cfg.Logger = quiet
			st, err := sesame.New(cfg)
			var sw []*problem.Problem
			if st != nil {
				sw = st.Warnings()
			}
			want := c.want
			if w, ok := wantStack[c.name]; ok {
				want = w
			}
			if ids := checkProblems(t, "sesame", "sesame.New", err, sw); !slicesContains(ids, want) {
				t.Errorf("sesame.New: got rules %v (%v), want %s", ids, err, want)
			}
		})
	}
}

func slicesContains(ids []problem.ID, id problem.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestRequestTextsNameTheCalledAPI: the per-request diagnostics (logged, and in
// Dev mode sent to the browser) of a Stack name sesame.Config's fields: SES002
// (a proxy that is not trusted), SES011 (a header not allowed), SES035, SES017
// and SES001. The same requests through the stages alone name the stages'.
func TestRequestTextsNameTheCalledAPI(t *testing.T) {
	var logs bytes.Buffer
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), Dev: true,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(st.Handler(login))
	defer srv.Close()
	send := func(method, path string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// SES011 over a real socket, with the Dev header the browser shows.
	resp := send("OPTIONS", "/login", map[string]string{"Origin": "https://app.example.com",
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-requested-with"})
	dev := resp.Header.Get(cors.DebugHeader)
	if !strings.Contains(dev, "sesame.Config.AllowHeaders") {
		t.Errorf("%s: got %q, want it to name sesame.Config.AllowHeaders", cors.DebugHeader, dev)
	}
	checkText(t, "sesame", cors.DebugHeader, dev)
	// SES002: forwarding headers from a loopback peer that is not trusted.
	send("POST", "/login", map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
	// SES035 and SES017: writes from an origin not on the list.
	send("POST", "/login", map[string]string{"Origin": "https://evil.test", "Sec-Fetch-Site": "cross-site"})
	send("POST", "/login", map[string]string{"Origin": "https://other.example.com", "Sec-Fetch-Site": "same-site"})
	// SES001: the Secure cookie over plain http from a host that is not local.
	req := httptest.NewRequest("POST", "http://api.example.com/login", nil)
	st.Handler(login).ServeHTTP(httptest.NewRecorder(), req)

	seen := map[string]bool{}
	for line := range strings.Lines(logs.String()) {
		checkText(t, "sesame", "log", line)
		for _, id := range []string{"SES001", "SES002", "SES011", "SES017", "SES035"} {
			if strings.Contains(line, `"rule":"`+id+`"`) {
				seen[id] = true
			}
		}
	}
	for _, id := range []string{"SES001", "SES002", "SES011", "SES017", "SES035"} {
		if !seen[id] {
			t.Errorf("no %s line in the log:\n%s", id, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "sesame.Config.TrustedProxies") {
		t.Errorf("the SES002 fix does not name sesame.Config.TrustedProxies:\n%s", logs.String())
	}
}

// TestCatalogueFixesNameTheStack: the catalogue's "fix with sesame" (README and
// docs/doctor.md) speaks to a user of sesame.New, so it names sesame.Config's
// fields and no stage-only option.
func TestCatalogueFixesNameTheStack(t *testing.T) {
	for _, r := range doctor.Rules() {
		checkText(t, "sesame", string(r.ID)+" catalogue fix", r.Fix)
	}
}
