package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

// `sesame demo --compat express`: the demo signs users in where an Express app
// with express-session, connect-redis and passport looks for them, with
// express-session's cookie.
func TestCompatExpressMode(t *testing.T) {
	dir := t.TempDir()
	addr, _ := startRedis(t, dir)
	secrets := filepath.Join(dir, "express-secrets")
	if err := os.WriteFile(secrets, []byte("keyboard cat\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := demoServer(t, "--compat=express", "--store=redis://"+addr, "--secret-file="+secrets, "--idle-timeout=1h")
	b := newBrowser(t, srv)
	r := b.want("POST", "/api/login", map[string]any{"username": "alice", "password": "wonderland"}, 200)
	if line := r.header.Get("Set-Cookie"); !strings.HasPrefix(line, "connect.sid=s%3A") {
		t.Errorf("Set-Cookie: got %q, want express-session's connect.sid=s%%3A…", line)
	}
	b.want("GET", "/api/me", nil, 200)
	b.want("PUT", "/api/prefs/theme", map[string]any{"value": "dark"}, 204)
	b.want("GET", "/api/sessions", nil, 501) // connect-redis keeps no user index

	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	keys, err := rdb.Keys(t.Context(), "sess:*").Result() // this test's own server
	if err != nil || len(keys) != 1 {
		t.Fatalf("connect-redis records: got %q, %v; want one sess:<id>", keys, err)
	}
	var rec struct {
		Passport struct{ User string }
		Pref     string `json:"pref:theme"`
	}
	if err := json.Unmarshal([]byte(rdb.Get(t.Context(), keys[0]).Val()), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Passport.User != "alice" || rec.Pref != "dark" {
		t.Errorf("record %s: got passport.user %q, pref:theme %q; want alice, dark", keys[0], rec.Passport.User, rec.Pref)
	}
	b.want("POST", "/api/logout", nil, 204)
	if n := rdb.Exists(t.Context(), keys[0]).Val(); n != 0 {
		t.Errorf("after sign-out: %s still exists", keys[0])
	}
}

func TestCompatExpressNeedsRedis(t *testing.T) {
	secrets := filepath.Join(t.TempDir(), "s")
	os.WriteFile(secrets, []byte("keyboard cat\n"), 0o600)
	for _, args := range [][]string{
		{"--compat=express", "--store=memory", "--secret-file=" + secrets},
		{"--compat=express", "--store=redis://127.0.0.1:1"},
		{"--compat=fastify", "--store=memory"},
	} {
		args = append(args, "--data-dir="+t.TempDir())
		if _, _, _, closeFn, err := main.DemoHandlers(t.Context(), args, nil); err == nil {
			closeFn()
			t.Errorf("demo %q: got no error, want one", args)
		}
	}
}
