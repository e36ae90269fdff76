package sesame_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

var testKey = []byte("stack-test-key-0123456789abcdef0123456789")

func memStore(t testing.TB) session.Store {
	t.Helper()
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// login is the application behind the stack in these tests.
var login = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.From(r.Context())
	switch r.URL.Path {
	case "/login":
		s.Regenerate()
		s.SetUser("alice")
	case "/me":
		if s.User() == "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Write([]byte(s.User()))
	}
})

func rules(err error) []problem.ID {
	var ids []problem.ID
	var walk func(error)
	walk = func(err error) {
		if u, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range u.Unwrap() {
				walk(e)
			}
			return
		}
		var p *problem.Problem
		if errors.As(err, &p) {
			ids = append(ids, p.Rule)
		}
	}
	walk(err)
	return ids
}

func has(ids []problem.ID, id problem.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestDerivation(t *testing.T) {
	cases := []struct {
		name      string
		api       string
		frontends []string
		// what the browser is given at login
		cookie   []string // substrings the Set-Cookie line must hold
		without  []string // substrings it must not hold
		warnings []problem.ID
		explain  string
	}{
		{
			name: "localhost pair", api: "http://localhost:8080", frontends: []string{"http://localhost:5173"},
			cookie:  []string{"sid=", "SameSite=Lax", "HttpOnly", "Path=/"},
			without: []string{"__Host-", "Secure", "Partitioned", "Domain="},
			explain: "same site as the API (http://localhost)",
		},
		{
			name: "same-site subdomains", api: "https://api.example.com", frontends: []string{"https://app.example.com"},
			cookie:  []string{"__Host-sid=", "SameSite=Lax", "Secure", "HttpOnly"},
			without: []string{"Partitioned", "Domain="},
			explain: "same site as the API (https://example.com)",
		},
		{
			name: "cross-site", api: "https://api.site-b.test", frontends: []string{"https://app.site-a.test"},
			cookie:   []string{"__Host-sid=", "SameSite=None", "Secure", "Partitioned"},
			warnings: []problem.ID{problem.ThirdPartyBlocking},
			explain:  "cross-site (https://site-a.test vs https://site-b.test)",
		},
		{
			name: "platform siblings on the public suffix list", api: "https://my-api.herokuapp.com", frontends: []string{"https://my-app.herokuapp.com"},
			cookie:   []string{"SameSite=None", "Secure", "Partitioned"},
			warnings: []problem.ID{problem.ThirdPartyBlocking},
			explain:  "herokuapp.com is on the public suffix list",
		},
		{
			// localhost acts as a top-level domain: app.localhost and api.localhost
			// are two sites, as browsers see them.
			name: "subdomains of localhost", api: "http://api.localhost:8080", frontends: []string{"http://app.localhost:5173"},
			cookie:   []string{"SameSite=None", "Secure", "Partitioned"},
			warnings: []problem.ID{problem.ThirdPartyBlocking},
			explain:  "cross-site (http://app.localhost vs http://api.localhost)",
		},
		{
			name: "subdomain pattern", api: "https://api.example.com", frontends: []string{"https://*.example.com"},
			cookie:  []string{"SameSite=Lax", "Secure"},
			without: []string{"Partitioned"},
			explain: "same site as the API",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			st, err := sesame.New(sesame.Config{
				APIOrigin: c.api, FrontendOrigins: c.frontends, Keys: [][]byte{testKey}, Store: memStore(t),
				Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			var got []problem.ID
			for _, w := range st.Warnings() {
				got = append(got, w.Rule)
			}
			for _, w := range c.warnings {
				if !has(got, w) {
					t.Errorf("warnings %v lack %s", got, w)
				}
			}
			if len(c.warnings) == 0 && len(got) > 0 {
				t.Errorf("unexpected warnings %v", got)
			}
			if ex := st.Explain(); !strings.Contains(ex, c.explain) {
				t.Errorf("Explain lacks %q:\n%s", c.explain, ex)
			}
			req := httptest.NewRequest("POST", c.api+"/login", nil)
			req.Header.Set("Origin", strings.Replace(c.frontends[0], "*", "www", 1))
			req.Header.Set("Sec-Fetch-Site", "same-site")
			rec := httptest.NewRecorder()
			st.Handler(login).ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("login: status %d: %s", rec.Code, rec.Body)
			}
			line := rec.Header().Get("Set-Cookie")
			for _, s := range c.cookie {
				if !strings.Contains(line, s) {
					t.Errorf("Set-Cookie %q lacks %q", line, s)
				}
			}
			for _, s := range c.without {
				if strings.Contains(line, s) {
					t.Errorf("Set-Cookie %q has %q", line, s)
				}
			}
			if acao := rec.Header().Get("Access-Control-Allow-Origin"); acao != req.Header.Get("Origin") {
				t.Errorf("ACAO: got %q, want %q", acao, req.Header.Get("Origin"))
			}
		})
	}
}

// A Domain set on purpose rules out the __Host- prefix; the Stack falls back to a
// plain name instead of refusing its own derivation.
func TestDomainCookieDropsTheHostPrefix(t *testing.T) {
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), Logger: slog.New(slog.DiscardHandler),
		CookieDomain: "example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ex := st.Explain(); !strings.Contains(ex, "Session cookie: sid; Domain=example.com; Path=/") {
		t.Errorf("Explain:\n%s", ex)
	}
}

func TestNewRefusesWhatCannotWork(t *testing.T) {
	cases := []struct {
		name string
		cfg  sesame.Config
		want []problem.ID
	}{
		{"wildcard front end", sesame.Config{APIOrigin: "https://api.example.com", FrontendOrigins: []string{"*"}}, []problem.ID{problem.WildcardCredentials}},
		{"trailing slash", sesame.Config{APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com/"}}, []problem.ID{problem.MalformedOrigin}},
		{"http front end, https API", sesame.Config{APIOrigin: "https://api.example.com", FrontendOrigins: []string{"http://app.example.com"}}, []problem.ID{problem.InsecureOrigin}},
		{"cross-site over plain http", sesame.Config{APIOrigin: "http://api.example.com", FrontendOrigins: []string{"https://app.other.test"}}, []problem.ID{problem.NoneWithoutSecure}},
		{"short key", sesame.Config{APIOrigin: "https://api.example.com", Keys: [][]byte{[]byte("short")}}, []problem.ID{problem.WeakKey}},
		{"no API origin", sesame.Config{}, []problem.ID{problem.MalformedOrigin}},
		{"untrustable proxy entry", sesame.Config{APIOrigin: "https://api.example.com", TrustedProxies: []string{"the load balancer"}}, []problem.ID{problem.InvalidProxyConfig}},
		{"__Host- name with an http API", sesame.Config{APIOrigin: "http://api.example.com", CookieName: "__Host-x"}, []problem.ID{problem.CookiePrefix}},
		{"__Secure- name on localhost", sesame.Config{APIOrigin: "http://localhost:8080", CookieName: "__Secure-sid"}, []problem.ID{problem.CookiePrefix}},
		{"all-zero key", sesame.Config{APIOrigin: "https://api.example.com", Keys: [][]byte{make([]byte, 32)}}, []problem.ID{problem.WeakKey}},
		{"constant key", sesame.Config{APIOrigin: "https://api.example.com", Keys: [][]byte{bytes.Repeat([]byte("k"), 64)}}, []problem.ID{problem.WeakKey}},
		{"repeating key", sesame.Config{APIOrigin: "https://api.example.com", Keys: [][]byte{bytes.Repeat([]byte("secret"), 6)}}, []problem.ID{problem.WeakKey}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.cfg.Keys == nil {
				c.cfg.Keys = [][]byte{testKey}
			}
			c.cfg.Store = memStore(t)
			c.cfg.Logger = slog.New(slog.DiscardHandler)
			_, err := sesame.New(c.cfg)
			if err == nil {
				t.Fatalf("New accepted %+v", c.cfg)
			}
			got := rules(err)
			for _, w := range c.want {
				if !has(got, w) {
					t.Errorf("got rules %v (%v), want %s", got, err, w)
				}
			}
		})
	}
}

func TestStackRefusesCrossSiteWrites(t *testing.T) {
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	h := st.Handler(login)
	cases := []struct {
		origin, site string
		want         int
	}{
		{"https://app.example.com", "same-site", 200},
		{"https://evil.test", "cross-site", 403},
		{"https://app.example.com.evil.test", "cross-site", 403},
		{"", "", 200}, // a non-browser client
	}
	for _, c := range cases {
		req := httptest.NewRequest("POST", "https://api.example.com/login", nil)
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
			req.Header.Set("Sec-Fetch-Site", c.site)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("POST from %q: got %d, want %d", c.origin, rec.Code, c.want)
		}
		if c.want == 403 && rec.Header().Get("Set-Cookie") != "" {
			t.Errorf("POST from %q got a session cookie", c.origin)
		}
	}
}

func TestStackPreflight(t *testing.T) {
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("OPTIONS", "https://api.example.com/login", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	rec := httptest.NewRecorder()
	st.Handler(login).ServeHTTP(rec, req)
	if rec.Code != 204 {
		t.Fatalf("preflight: status %d", rec.Code)
	}
	for h, want := range map[string]string{
		"Access-Control-Allow-Origin":      "https://app.example.com",
		"Access-Control-Allow-Credentials": "true",
	} {
		if got := rec.Header().Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	if rec.Header().Get("Set-Cookie") != "" {
		t.Errorf("a preflight touched the session")
	}
}

func TestForgottenCredentialsAreReported(t *testing.T) {
	var logs bytes.Buffer
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	h := st.Handler(login)
	send := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "https://api.example.com"+path, nil)
		req.Header.Set("Origin", "https://app.example.com")
		req.Header.Set("Sec-Fetch-Site", "same-site")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := send("/login"); rec.Header().Get("Set-Cookie") == "" {
		t.Fatal("login set no cookie")
	}
	for range 3 {
		if rec := send("/me"); rec.Code != 401 {
			t.Fatalf("/me without the cookie: status %d", rec.Code)
		}
	}
	if !strings.Contains(logs.String(), "rule=SES009") {
		t.Errorf("no SES009 diagnostic in:\n%s", logs.String())
	}
}

// TestStackInExpressFormat runs the Stack in express-session's cookie format: no
// sesame keys, the Express secret signs, the cookie is connect.sid.
func TestStackInExpressFormat(t *testing.T) {
	store := memStore(t)
	sc, err := express.SessionConfig(store, express.Options{Secrets: []string{"keyboard cat"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Store: store, SessionFormat: sc.Format, CookieName: express.DefaultName, IdleTimeout: sc.IdleTimeout,
		BrowserSessionCookie: sc.Cookie.BrowserSession, AbsoluteTimeout: -1, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if ex := st.Explain(); !strings.Contains(ex, "express.Format cookie format") {
		t.Errorf("Explain does not name the cookie format:\n%s", ex)
	}
	req := httptest.NewRequest("POST", "https://api.example.com/login", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Sec-Fetch-Site", "same-site")
	rec := httptest.NewRecorder()
	st.Handler(login).ServeHTTP(rec, req)
	if line := rec.Header().Get("Set-Cookie"); !strings.HasPrefix(line, "connect.sid=s%3A") {
		t.Fatalf("Set-Cookie %q is not express-session's", line)
	}
	me := httptest.NewRequest("GET", "https://api.example.com/me", nil)
	me.Header.Set("Cookie", strings.SplitN(rec.Header().Get("Set-Cookie"), ";", 2)[0])
	rec = httptest.NewRecorder()
	st.Handler(login).ServeHTTP(rec, me)
	if got := rec.Body.String(); got != "alice" {
		t.Errorf("/me with the express cookie: got %q, want alice", got)
	}
}
