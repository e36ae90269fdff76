package connectredis_test

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// TestUpgrader: a user signed in under express-session arrives at a server in
// sesame's native format and leaves with a native session holding the same
// user and values; the old record and cookie are gone.
func TestUpgrader(t *testing.T) {
	old, rdb, prefix := newStore(t, express.CookieOptions{MaxAge: time.Hour})
	ctx := t.Context()
	secrets := []string{"express-secret"}
	format, _ := express.NewFormat(secrets)
	id := express.NewID()
	rdb.Set(ctx, prefix+id, `{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"cart":[1,2]}`, time.Hour)

	up, err := express.NewUpgrader(express.UpgraderConfig{Format: format, Store: old, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	native, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { native.Close() })
	keys, err := cookie.NewKeyring([]byte(rand.Text() + rand.Text()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(session.Config{Store: native, Keys: keys, Cookie: session.CookieConfig{SameSite: cookie.SameSiteLax}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Handler(up.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		cart, _ := session.Get[[]int](s, "cart")
		json.NewEncoder(w).Encode(map[string]any{"user": s.User(), "cart": cart})
	})))

	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", "connect.sid="+string(format.AppendValue(nil, id)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := strings.TrimSpace(rec.Body.String()); got != `{"cart":[1,2],"user":"alice"}` {
		t.Fatalf("first request: got %s, want alice's cart", got)
	}
	var nativeCookie string
	cleared := false
	for _, line := range rec.Header().Values("Set-Cookie") {
		switch {
		case strings.HasPrefix(line, "sid="):
			nativeCookie, _, _ = strings.Cut(line, ";")
		case strings.HasPrefix(line, "connect.sid=;"):
			cleared = true
		}
	}
	if nativeCookie == "" || !cleared {
		t.Fatalf("Set-Cookie: got %q, want a native sid and connect.sid cleared", rec.Header().Values("Set-Cookie"))
	}
	if n := rdb.Exists(ctx, prefix+id).Val(); n != 0 {
		t.Fatalf("old record: EXISTS got %d, want 0", n)
	}

	// The native cookie alone carries the session now; the old cookie, replayed,
	// brings nothing back.
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", nativeCookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := strings.TrimSpace(rec.Body.String()); got != `{"cart":[1,2],"user":"alice"}` {
		t.Fatalf("with the native cookie: got %s, want alice's cart", got)
	}
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", "connect.sid="+string(format.AppendValue(nil, id)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := strings.TrimSpace(rec.Body.String()); got != `{"cart":null,"user":""}` {
		t.Fatalf("replayed old cookie: got %s, want no session", got)
	}
}
