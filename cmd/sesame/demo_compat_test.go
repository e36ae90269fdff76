package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
)

func TestReadExpressSecrets(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string
		want          []string
	}{
		{"one", "keyboard cat\n", []string{"keyboard cat"}},
		{"rotation, CRLF, blank lines", "new secret\r\n\r\nold secret\r\n", []string{"new secret", "old secret"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"empty", "\n\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := readExpressSecrets(path)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), "SES030") {
					t.Fatalf("got (%q, %v), want an SES030 error", got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got (%q, %v), want %q", got, err, tt.want)
			}
		})
	}
	if _, err := readExpressSecrets(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("missing file: got no error, want one")
	}
	if _, err := readExpressSecrets(""); err == nil {
		t.Fatal("no --secret-file: got no error, want one")
	}
}

func TestCompatExpressConfigRefusesOtherStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets")
	os.WriteFile(path, []byte("s\n"), 0o600)
	for _, spec := range []string{"bolt:/tmp/x.db", "postgres://u:hunter2@h/db", "memory"} {
		_, err := compatExpressConfig(path, spec, 0, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), "SES031") || strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("--store %s: got %v, want an SES031 error without the password", spec, err)
		}
	}
}

// TestCompatExpressSignIn: a user the demo signs in is written where passport
// writes it, in a record express-session reads, and a passport user written by
// Express is the demo's user.
func TestCompatExpressSignIn(t *testing.T) {
	addr := cmpOr(os.Getenv("SESAME_REDIS_ADDR"), "127.0.0.1:6379")
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("Redis at %s: %v; start one (redis-server --port 6379) or set SESAME_REDIS_ADDR", addr, err)
	}
	path := filepath.Join(t.TempDir(), "secrets")
	os.WriteFile(path, []byte("keyboard cat\nold cat\n"), 0o600)
	cx, err := compatExpressConfig(path, "redis://"+addr+"/0", time.Hour, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer cx.Close()
	m, err := session.New(cx.Session)
	if err != nil {
		t.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if r.URL.Path == "/login" {
			s.Regenerate()
			s.SetUser("gopher")
		}
		w.Write([]byte(s.User()))
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/login", nil))
	line := rec.Header().Get("Set-Cookie")
	value, _, _ := strings.Cut(strings.TrimPrefix(line, "connect.sid="), ";")
	f, _ := express.NewFormat([]string{"keyboard cat"})
	id, why := f.Decode(value)
	if why != session.Found {
		t.Fatalf("Set-Cookie %q: got %v, want an express-session cookie signed with the first secret", line, why)
	}
	t.Cleanup(func() { rdb.Del(context.Background(), "sess:"+id) })
	var stored struct {
		Cookie   struct{ OriginalMaxAge int64 }
		Passport struct{ User string }
	}
	if err := json.Unmarshal([]byte(rdb.Get(t.Context(), "sess:"+id).Val()), &stored); err != nil {
		t.Fatal(err)
	}
	if stored.Passport.User != "gopher" || stored.Cookie.OriginalMaxAge != 3600000 {
		t.Fatalf("record: got %+v, want passport.user gopher and originalMaxAge 3600000", stored)
	}

	// A session Express signed in (passport), with the cookie Express set.
	eid := express.NewID()
	rdb.Set(t.Context(), "sess:"+eid, `{"cookie":{"originalMaxAge":3600000,"expires":"2000-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"passport":{"user":"`+rand.Text()[:8]+`"}}`, time.Hour)
	t.Cleanup(func() { rdb.Del(context.Background(), "sess:"+eid) })
	var want struct{ Passport struct{ User string } }
	json.Unmarshal([]byte(rdb.Get(t.Context(), "sess:"+eid).Val()), &want)
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set("Cookie", "connect.sid="+string(f.AppendValue(nil, eid)))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := rec.Body.String(); got != want.Passport.User {
		t.Fatalf("/me with Express's cookie: got user %q, want %q", got, want.Passport.User)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
