package session_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// TestDiagnosticsNameTheirRule: each misconfiguration the Manager can only see per
// request is logged with its rule id, once.
func TestDiagnosticsNameTheirRule(t *testing.T) {
	cases := []struct {
		name string
		cfg  session.Config
		h    func(f *fixture) http.HandlerFunc
		// drive sends the requests that show the problem, twice over
		drive func(t *testing.T, f *fixture)
		rule  problem.ID
	}{
		{
			name: "Secure cookie over plain HTTP", rule: problem.SecureOverHTTP,
			cfg:   session.Config{Cookie: session.CookieConfig{Secure: session.SecureAlways}},
			drive: func(t *testing.T, f *fixture) { f.doHost("http://api.example.test/set?k=a&v=1", "") },
		},
		{
			name: "SameSite=None over plain HTTP", rule: problem.NoneWithoutSecure,
			cfg:   session.Config{Cookie: session.CookieConfig{SameSite: cookie.SameSiteNone}},
			drive: func(t *testing.T, f *fixture) { f.doHost("http://api.example.test/set?k=a&v=1", "") },
		},
		{
			name: "signature no key verifies", rule: problem.SecretChanged,
			drive: func(t *testing.T, f *fixture) {
				other := newFixture(t, session.Config{Keys: keyring(t, "a-retired-key-0123456789abcdef012345678")}, app)
				f.do("GET", "/why", sessionCookie(t, other.do("GET", "/set?k=a&v=1", "")))
			},
		},
		{
			name: "session vanished while a request changed it", rule: problem.SessionsEvicted,
			h: func(f *fixture) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					s := session.From(r.Context())
					if r.URL.Path == "/new" {
						session.Set(s, "a", 1)
						return
					}
					key := s.Key() // loads it
					f.store.Store.Delete(r.Context(), key)
					session.Set(s, "b", 2)
				}
			},
			drive: func(t *testing.T, f *fixture) {
				ck := sessionCookie(t, f.do("GET", "/new", ""))
				// The change is lost: the request says so (409), and leaves the
				// cookie alone (a concurrent rotation may have replaced it).
				resp := f.do("GET", "/change", ck)
				if resp.StatusCode != http.StatusConflict {
					t.Errorf("a change to a vanished session: got status %d, want 409", resp.StatusCode)
				}
				if got := resp.Header.Get("Set-Cookie"); got != "" {
					t.Errorf("a change to a vanished session: got Set-Cookie %q, want none", got)
				}
			},
		},
		{
			name: "change after the response started", rule: problem.ChangeAfterResponse,
			h: func(f *fixture) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, "started")
					session.Set(session.From(r.Context()), "late", true)
				}
			},
			drive: func(t *testing.T, f *fixture) { f.do("GET", "/", "") },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			c.cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			var f *fixture
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.h != nil {
					c.h(f)(w, r)
					return
				}
				app(w, r)
			})
			f = newFixture(t, c.cfg, handler)
			c.drive(t, f)
			c.drive(t, f)
			want := "rule=" + string(c.rule)
			if n := strings.Count(logs.String(), want); n == 0 {
				t.Errorf("no %s in the log:\n%s", want, logs.String())
			}
			if n := strings.Count(logs.String(), "level=WARN msg="); c.rule != problem.ChangeAfterResponse && n > 1 {
				t.Errorf("logged %d times, want once:\n%s", n, logs.String())
			}
		})
	}
}

// doHost serves one request for an absolute URL.
func (f *fixture) doHost(url, cookie string) *http.Response {
	req := httptest.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Result()
}

// TestNoSecureWarningOnLoopback: a Secure cookie over plain http on a loopback
// host is kept by Chromium and Firefox (a potentially trustworthy origin), so no
// SES001 is logged there; loopback is origin.IsLoopback, all of 127.0.0.0/8 (the
// session's own copy knew only 127.0.0.1).
func TestNoSecureWarningOnLoopback(t *testing.T) {
	for _, host := range []string{"localhost:8080", "app.localhost", "127.0.0.1:8080", "127.0.0.2:8080", "[::1]:8080"} {
		t.Run(host, func(t *testing.T) {
			var logs bytes.Buffer
			f := newFixture(t, session.Config{
				Cookie: session.CookieConfig{Secure: session.SecureAlways},
				Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			}, app)
			f.doHost("http://"+host+"/set?k=a&v=1", "")
			if strings.Contains(logs.String(), "rule="+string(problem.SecureOverHTTP)) {
				t.Errorf("got SES001 for %s, want none:\n%s", host, logs.String())
			}
		})
	}
}
