package connectredis_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// quiet drops the warnings the tests provoke on purpose.
var quiet = slog.New(slog.DiscardHandler)

func redisAddr() string {
	if a := os.Getenv("SESAME_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// newClient connects to the shared Redis, or fails saying what to start.
func newClient(t testing.TB, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis at %s: %v; start one (redis-server --port 6379) or set SESAME_REDIS_ADDR", addr, err)
	}
	return c
}

// newStore returns a store under a fresh prefix of the shared Redis, and the
// client, for reading what it wrote.
func newStore(t testing.TB, cookie express.CookieOptions) (*connectredis.Store, *redis.Client, string) {
	t.Helper()
	c := newClient(t, redisAddr())
	prefix := "sesame-test:" + rand.Text()[:10] + ":sess:"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, _ := c.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
	})
	s, err := connectredis.New(connectredis.Config{Client: c, Prefix: prefix, Cookie: cookie, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, prefix
}

func TestSaveWritesConnectRedisBytes(t *testing.T) {
	s, c, prefix := newStore(t, express.CookieOptions{MaxAge: time.Hour})
	ctx := t.Context()
	id := express.NewID()
	now := time.Now()
	rec := session.Record{Meta: session.Meta{Touched: now, Idle: time.Hour, User: "alice"},
		Values: map[string]json.RawMessage{"theme": json.RawMessage(`"\u003cdark\u003e"`)}}
	if err := s.Save(ctx, id, rec); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, prefix+id).Result()
	if err != nil {
		t.Fatal(err)
	}
	exp := now.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z07:00")
	want := `{"cookie":{"originalMaxAge":3600000,"expires":"` + exp + `","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"theme":"<dark>"}`
	if got != want {
		t.Fatalf("stored:\ngot  %s\nwant %s", got, want)
	}
	if ttl := c.TTL(ctx, prefix+id).Val(); ttl != time.Hour {
		t.Fatalf("TTL: got %v, want 1h", ttl)
	}
	loaded, found, err := s.Load(ctx, id)
	if err != nil || !found {
		t.Fatalf("Load: got (%v, %v), want found", found, err)
	}
	if loaded.User != "alice" || loaded.Idle != time.Hour || string(loaded.Values["theme"]) != `"<dark>"` {
		t.Fatalf("Load: got %+v, want alice, 1h, theme <dark>", loaded)
	}
	if d := loaded.Expires().Sub(now.Add(time.Hour)); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("Expires: got %v, want about %v", loaded.Expires(), now.Add(time.Hour))
	}
}

// TestLoadIgnoresStaleExpires: connect-redis's touch leaves cookie.expires in
// the past; only the TTL counts.
func TestLoadIgnoresStaleExpires(t *testing.T) {
	s, c, prefix := newStore(t, express.CookieOptions{})
	ctx := t.Context()
	id := express.NewID()
	stale := `{"cookie":{"originalMaxAge":60000,"expires":"2001-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"passport":{"user":"bob"}}`
	c.Set(ctx, prefix+id, stale, 50*time.Second)
	rec, found, err := s.Load(ctx, id)
	if err != nil || !found || rec.User != "bob" {
		t.Fatalf("Load: got (%+v, %v, %v), want bob's session", rec.Meta, found, err)
	}
	if left := time.Until(rec.Expires()); left < 45*time.Second || left > 51*time.Second {
		t.Fatalf("Expires in %v, want about 50s (the TTL)", left)
	}
	for _, bad := range []string{`user=gopher`, `{"user":"gopher"}`, `[1]`} {
		c.Set(ctx, prefix+id, bad, time.Minute)
		if _, found, err := s.Load(ctx, id); found || err != nil {
			t.Fatalf("Load(%s): got (%v, %v), want a miss", bad, found, err)
		}
	}
	if _, found, err := s.Load(ctx, express.NewID()); found || err != nil {
		t.Fatalf("Load(unknown): got (%v, %v), want a miss", found, err)
	}
}

func TestPatch(t *testing.T) {
	s, c, prefix := newStore(t, express.CookieOptions{MaxAge: time.Hour})
	ctx := t.Context()
	id := express.NewID()
	written := `{"cookie":{"originalMaxAge":3600000,"expires":"2001-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"passport":{"user":"bob"},"cart":[1, 2],"n":1}`
	c.Set(ctx, prefix+id, written, 10*time.Minute)
	rec, found, err := s.Load(ctx, id)
	if err != nil || !found {
		t.Fatal(found, err)
	}

	t.Run("touch is EXPIRE only", func(t *testing.T) {
		m := rec.Meta
		m.Touched = time.Now()
		applied, err := s.Patch(ctx, id, session.Patch{Meta: m})
		if err != nil || !applied {
			t.Fatalf("Patch: got (%v, %v), want applied", applied, err)
		}
		if got := c.Get(ctx, prefix+id).Val(); got != written {
			t.Fatalf("value: got %s, want it unchanged", got)
		}
		if ttl := c.TTL(ctx, prefix+id).Val(); ttl != time.Hour {
			t.Fatalf("TTL: got %v, want 1h", ttl)
		}
	})
	t.Run("change keeps foreign bytes", func(t *testing.T) {
		now := time.Now()
		m := rec.Meta
		m.Touched = now
		applied, err := s.Patch(ctx, id, session.Patch{Meta: m, Set: map[string]json.RawMessage{"n": json.RawMessage(`2`)}})
		if err != nil || !applied {
			t.Fatalf("Patch: got (%v, %v), want applied", applied, err)
		}
		exp := now.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z07:00")
		want := `{"cookie":{"originalMaxAge":3600000,"expires":"` + exp + `","httpOnly":true,"path":"/"},"passport":{"user":"bob"},"cart":[1, 2],"n":2}`
		if got := c.Get(ctx, prefix+id).Val(); got != want {
			t.Fatalf("value:\ngot  %s\nwant %s", got, want)
		}
	})
	t.Run("missing is not recreated", func(t *testing.T) {
		gone := express.NewID()
		applied, err := s.Patch(ctx, gone, session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"n": json.RawMessage(`3`)}})
		if err != nil || applied {
			t.Fatalf("Patch(missing): got (%v, %v), want (false, nil)", applied, err)
		}
		if n := c.Exists(ctx, prefix+gone).Val(); n != 0 {
			t.Fatalf("EXISTS: got %d, want 0", n)
		}
	})
}

// TestConcurrentPatches: patches of different keys of one session, all at once,
// all survive (the optimistic transaction retries).
func TestConcurrentPatches(t *testing.T) {
	s, _, _ := newStore(t, express.CookieOptions{MaxAge: time.Hour})
	ctx := t.Context()
	id := express.NewID()
	meta := session.Meta{Touched: time.Now(), Idle: time.Hour}
	if err := s.Save(ctx, id, session.Record{Meta: meta}); err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			k := fmt.Sprintf("k%d", i)
			if _, err := s.Patch(ctx, id, session.Patch{Meta: meta, Set: map[string]json.RawMessage{k: json.RawMessage(`1`)}}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Patch: %v", err)
	}
	rec, _, err := s.Load(ctx, id)
	if err != nil || len(rec.Values) != n {
		t.Fatalf("after %d concurrent patches: got %d keys (%v), want %d", n, len(rec.Values), err, n)
	}
}

func TestNewRefuses(t *testing.T) {
	slow := redis.NewClient(&redis.Options{Addr: redisAddr()})
	defer slow.Close()
	ok := redis.NewClient(&redis.Options{Addr: redisAddr(), ContextTimeoutEnabled: true})
	defer ok.Close()
	for _, tt := range []struct {
		name string
		cfg  connectredis.Config
		rule string
	}{
		{"no client", connectredis.Config{}, "SES031"},
		{"no context deadline", connectredis.Config{Client: slow}, string(problem.StoreIgnoresDeadline)},
		{"brace prefix", connectredis.Config{Client: ok, Prefix: "{sess}:"}, string(problem.InvalidStoreConfig)},
		{"bad sameSite", connectredis.Config{Client: ok, Cookie: express.CookieOptions{SameSite: "sometimes"}}, string(problem.CookieSyntax)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := connectredis.New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.rule) {
				t.Fatalf("got %v, want an error with rule %s", err, tt.rule)
			}
		})
	}
}

func TestStoreErrors(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true, MaxRetries: -1})
	defer c.Close()
	s, err := connectredis.New(connectredis.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Load(t.Context(), "x")
	var se *session.StoreError
	if !errors.As(err, &se) || se.Store != connectredis.Name || se.Op != "load" {
		t.Fatalf("Load on a dead Redis: got %v, want a *session.StoreError naming %s", err, connectredis.Name)
	}
}
