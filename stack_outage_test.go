package sesame_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/session"
)

// downStore is a real memory store that can be switched off.
type downStore struct {
	session.Store
	down atomic.Bool
}

var errDown = errors.New("connection refused")

func (d *downStore) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if d.down.Load() {
		return session.Record{}, false, errDown
	}
	return d.Store.Load(ctx, key)
}

// Issue 14, defect 1: a store outage's 503 reaches a cross-origin front end
// readable, with the CORS headers the CORS stage set (a 503 without them is a
// network error in the browser), over a real socket.
func TestOutageKeepsCORSHeaders(t *testing.T) {
	const front = "http://localhost:5173"
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	store := &downStore{Store: memStore(t)}
	st, err := sesame.New(sesame.Config{
		APIOrigin: srv.URL, FrontendOrigins: []string{front},
		Keys: [][]byte{testKey}, Store: store, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	h = st.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if r.Method == "POST" {
			session.Set(s, "user", "alice")
			s.Regenerate()
			return
		}
		w.Header().Set("X-Handler", "prepared") // dropped with the handler's response
		u, _ := session.Get[string](s, "user")
		io.WriteString(w, u)
	}))
	do := func(method, cookie string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+"/me", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", front)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	login := do("POST", "")
	if login.StatusCode != 200 || len(login.Cookies()) == 0 {
		t.Fatalf("login: got %d with cookies %v, want 200 and the session cookie", login.StatusCode, login.Cookies())
	}
	ck := login.Cookies()[0]
	store.down.Store(true)
	resp := do("GET", ck.Name+"="+ck.Value)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("during the outage: got status %d, want 503", resp.StatusCode)
	}
	for _, c := range []struct{ name, want string }{
		{"Access-Control-Allow-Origin", front},
		{"Access-Control-Allow-Credentials", "true"},
		{"Content-Type", "application/problem+json"},
		{"X-Handler", ""},
	} {
		if got := resp.Header.Get(c.name); got != c.want {
			t.Errorf("503 header %s: got %q, want %q", c.name, got, c.want)
		}
	}
	var vary []string
	for _, v := range resp.Header.Values("Vary") {
		for _, x := range strings.Split(v, ",") {
			vary = append(vary, strings.TrimSpace(x))
		}
	}
	if !slices.Contains(vary, "Origin") {
		t.Errorf("503 Vary: got %q, want it to name Origin", vary)
	}
}
