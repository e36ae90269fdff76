package cors_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/origin"
)

// FuzzPreflight sends arbitrary preflights and checks the invariants: the
// application never runs, a 204 names exactly the request's origin, which the
// allowlist allows and which Split accepts, and every answer varies on Origin.
func FuzzPreflight(f *testing.F) {
	f.Add("https://app.example.com", "PUT", "content-type,x-requested-with")
	f.Add("https://a.example.org", "PATCH", " Content-Type ,,")
	f.Add("https://evil-example.com", "DELETE", "")
	f.Add("null", "GET", ",,,,")
	c, err := cors.New(cors.Config{
		Origins:        []string{"https://app.example.com", "https://*.example.org", "http://localhost:*"},
		Credentials:    true,
		Methods:        []string{"PUT", "PATCH", "DELETE"},
		RequestHeaders: []string{"X-Requested-With"},
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		f.Fatal(err)
	}
	allow, _ := origin.ParseList([]string{"https://app.example.com", "https://*.example.org", "http://localhost:*"}, origin.Options{Credentials: true})
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("a preflight reached the application")
	}))
	f.Fuzz(func(t *testing.T, o, method, headers string) {
		r := httptest.NewRequest("OPTIONS", "https://api.example.com/", nil)
		r.Header["Origin"] = []string{o}
		r.Header["Access-Control-Request-Method"] = []string{method}
		r.Header["Access-Control-Request-Headers"] = []string{headers}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Header().Get("Vary") == "" {
			t.Fatalf("got no Vary")
		}
		if w.Code != 204 {
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
				t.Fatalf("got ACAO %q on status %d", got, w.Code)
			}
			return
		}
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != o || !allow.Allows(o) {
			t.Fatalf("got 204 with ACAO %q for origin %q", got, o)
		}
		if _, _, _, ok := origin.Split(o); !ok {
			t.Fatalf("got 204 for %q, which is not a serialised origin", o)
		}
	})
}
