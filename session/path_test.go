package session_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// Issue 14, defect 7: with Cookie.Path "/api", a request outside it (the
// browser sent no cookie there) creates no session and sets no cookie, which
// would otherwise live beside, or shadow, the user's real one. Inside the path
// the session works as usual.
func TestNoSessionOutsideTheCookiePath(t *testing.T) {
	f := newFixture(t, session.Config{Cookie: session.CookieConfig{Path: "/api"}},
		func(w http.ResponseWriter, r *http.Request) {
			session.Set(session.From(r.Context()), "k", "v")
		})
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	for _, c := range []struct {
		path   string
		cookie bool
	}{
		{"/", false},
		{"/other", false},
		{"/apix", false}, // not a path-match (RFC 6265bis §5.1.4)
		{"/api", true},
		{"/api/me", true},
	} {
		saves := f.store.saves.Load()
		resp := get(t, srv, c.path, "")
		sc := resp.Header.Get("Set-Cookie")
		if got := sc != ""; got != c.cookie {
			t.Errorf("GET %s: got Set-Cookie %q, want one: %v", c.path, sc, c.cookie)
		}
		if c.cookie && !strings.Contains(sc, "Path=/api") {
			t.Errorf("GET %s: got Set-Cookie %q, want Path=/api", c.path, sc)
		}
		if got := f.store.saves.Load() - saves; got != 0 != c.cookie {
			t.Errorf("GET %s: got %d saves, want a session stored: %v", c.path, got, c.cookie)
		}
	}
}
