package redisstore_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// TestRequestRoundTrips counts, over a real socket to a redis-server of its
// own, the round trips whole requests cost through Manager.Handler: a write of
// a session the request never read is one script call (session.Applier), a
// read is one HGETALL while the idle deadline is not due, and the idle
// bookkeeping of a write happens inside that one call.
func TestRequestRoundTrips(t *testing.T) {
	srv := redistest.StartServer(t)
	opts := redistest.Options(srv.Addr())
	opts.PoolSize = 1
	client := redis.NewClient(opts)
	t.Cleanup(func() { client.Close() })
	var rt roundTrips
	client.AddHook(&rt)
	store, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := cookie.NewKeyring([]byte("roundtrip-test-key-0123456789abcdef01"))
	if err != nil {
		t.Fatal(err)
	}
	manager := func(touch time.Duration) *session.Manager {
		m, err := session.New(session.Config{Store: store, Keys: keys, IdleTimeout: time.Hour, TouchInterval: touch,
			Cookie: session.CookieConfig{Secure: session.SecureNever}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	mux := func(m *session.Manager) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /write", func(w http.ResponseWriter, r *http.Request) {
			if err := session.Set(session.From(r.Context()), "n", r.URL.Query().Get("n")); err != nil {
				t.Error(err)
			}
		})
		mux.HandleFunc("GET /read", func(w http.ResponseWriter, r *http.Request) {
			n, _ := session.Get[string](session.From(r.Context()), "n")
			w.Write([]byte(n))
		})
		mux.HandleFunc("POST /readwrite", func(w http.ResponseWriter, r *http.Request) {
			s := session.From(r.Context())
			n, _ := session.Get[string](s, "n")
			if err := session.Set(s, "n", n+"+"); err != nil {
				t.Error(err)
			}
		})
		mux.HandleFunc("POST /destroy", func(w http.ResponseWriter, r *http.Request) {
			if err := session.From(r.Context()).Destroy(r.Context()); err != nil {
				t.Error(err)
			}
		})
		return m.Handler(mux)
	}
	quiet, due := mux(manager(time.Hour)), mux(manager(time.Nanosecond))

	// serve sends one request and reports the response, its Set-Cookie (the
	// session cookie's "name=value", "" for none) and the round trips it cost.
	serve := func(h http.Handler, method, target, cookie string) (*httptest.ResponseRecorder, string, int64) {
		t.Helper()
		r := httptest.NewRequest(method, target, nil)
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		before := rt.n.Load()
		h.ServeHTTP(w, r)
		n := rt.n.Load() - before
		if w.Code != http.StatusOK {
			t.Fatalf("%s %s: got status %d (%s), want 200", method, target, w.Code, w.Body)
		}
		set := ""
		if c := w.Result().Cookies(); len(c) > 0 && c[0].MaxAge >= 0 {
			set = c[0].Name + "=" + c[0].Value
		}
		return w, set, n
	}

	// A new session: one save. Warm-up for the scripts too.
	_, ck, _ := serve(quiet, "POST", "/write?n=1", "")
	if ck == "" {
		t.Fatal("first write: got no session cookie, want one")
	}
	serve(quiet, "POST", "/write?n=1", ck)
	serve(due, "POST", "/write?n=1", ck)
	serve(quiet, "POST", "/readwrite", ck)
	serve(due, "GET", "/read", ck)

	tests := []struct {
		name       string
		h          http.Handler
		method     string
		target     string
		wantTrips  int64
		wantCookie bool // the session cookie is (re-)sent
		wantBody   string
	}{
		{"write, not due", quiet, "POST", "/write?n=2", 1, false, ""},
		{"read, not due", quiet, "GET", "/read", 1, false, "2"},
		{"write, due: the deadline moves in the same call", due, "POST", "/write?n=3", 1, true, ""},
		{"read, due: the load, then the touch", due, "GET", "/read", 2, true, "3"},
		{"read then write: the load, then the patch", quiet, "POST", "/readwrite", 2, false, ""},
		{"read after it", quiet, "GET", "/read", 1, false, "3+"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, set, n := serve(tt.h, tt.method, tt.target, ck)
			if n != tt.wantTrips {
				t.Errorf("round trips: got %d, want %d", n, tt.wantTrips)
			}
			if (set != "") != tt.wantCookie {
				t.Errorf("Set-Cookie: got %q, want one: %v", set, tt.wantCookie)
			}
			if set != "" && set != ck {
				t.Errorf("Set-Cookie: got %q, want the same session %q", set, ck)
			}
			if got := w.Body.String(); got != tt.wantBody {
				t.Errorf("body: got %q, want %q", got, tt.wantBody)
			}
		})
	}

	// A write with the cookie of a destroyed session: the apply is refused,
	// and a new session holds the write (a second call, as a load that finds
	// nothing followed by a save).
	t.Run("write to a destroyed session", func(t *testing.T) {
		serve(quiet, "POST", "/destroy", ck)
		_, set, n := serve(quiet, "POST", "/write?n=4", ck)
		if n != 2 {
			t.Errorf("round trips: got %d, want 2 (a refused apply, then the new session's save)", n)
		}
		if set == "" || set == ck || !strings.Contains(set, "=") {
			t.Fatalf("Set-Cookie: got %q, want a new session's cookie", set)
		}
		w, _, _ := serve(quiet, "GET", "/read", set)
		if got := w.Body.String(); got != "4" {
			t.Errorf("the new session: got %q, want %q", got, "4")
		}
		w, _, _ = serve(quiet, "GET", "/read", ck)
		if got := w.Body.String(); got != "" {
			t.Errorf("the destroyed session: got %q, want nothing (a write never resurrects it)", got)
		}
	})
}
