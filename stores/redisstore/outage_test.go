package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// storeOps are every store method, each reporting the StoreError.Op it must
// fail with.
func storeOps(s *redisstore.Store, k string) []struct {
	op   string
	call func(ctx context.Context) error
} {
	rec := record("olga", "a", `1`)
	return []struct {
		op   string
		call func(ctx context.Context) error
	}{
		{"load", func(ctx context.Context) error { _, _, err := s.Load(ctx, k); return err }},
		{"save", func(ctx context.Context) error { return s.Save(ctx, k, rec) }},
		{"patch", func(ctx context.Context) error {
			_, err := s.Patch(ctx, k, session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"b": json.RawMessage(`2`)}})
			return err
		}},
		{"delete", func(ctx context.Context) error { return s.Delete(ctx, k) }},
		{"list", func(ctx context.Context) error { _, err := s.UserSessions(ctx, "olga"); return err }},
		{"list", func(ctx context.Context) error {
			return s.Range(ctx, func(string, session.Record) error { return nil })
		}},
		{"ping", s.Ping},
	}
}

// waitReady polls Ping until the store answers again, for at most ten seconds.
func waitReady(t *testing.T, s *redisstore.Store) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, cancel := context.WithTimeout(t.Context(), time.Second)
		err := s.Ping(c)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the store did not recover within 10s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOutage kills its own redis-server, then stops it without closing its
// sockets, and checks that every call fails with a *session.StoreError within
// its deadline, and that the same Store, on the same client, works again when the
// server is back on the same port: no restart of the application.
func TestOutage(t *testing.T) {
	srv := redistest.StartServer(t)
	client := redis.NewClient(redistest.Options(srv.Addr()))
	t.Cleanup(func() { client.Close() })
	s, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	k := key("outage")
	works := func(t *testing.T) {
		t.Helper()
		rec := record("olga", "a", `1`)
		if err := s.Save(ctx(t), k, rec); err != nil {
			t.Fatalf("Save: %v", err)
		}
		got, found, err := s.Load(ctx(t), k)
		if err != nil || !found {
			t.Fatalf("Load: got found=%v err=%v, want true, nil", found, err)
		}
		sameRecord(t, got, rec)
		if list, err := s.UserSessions(ctx(t), "olga"); err != nil || len(list) != 1 {
			t.Fatalf("UserSessions: got %d entries, %v, want 1, nil", len(list), err)
		}
	}
	works(t)

	const timeout = 300 * time.Millisecond
	// bound is how late a failing call may return: a hang shows as a failure
	// here, not as the test binary's timeout. It is a bound, not a speed claim.
	const bound = timeout + 2*time.Second
	fails := func(t *testing.T, wantTimeout bool) {
		t.Helper()
		for _, o := range storeOps(s, k) {
			c, cancel := context.WithTimeout(t.Context(), timeout)
			start := time.Now()
			err := o.call(c)
			elapsed := time.Since(start)
			cancel()
			var se *session.StoreError
			if !errors.As(err, &se) || se.Store != "redis" || se.Op != o.op {
				t.Errorf("%s: got error %v (%T), want a *session.StoreError{Store: redis, Op: %s}", o.op, err, err, o.op)
				continue
			}
			if wantTimeout && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s: got %v, want an error wrapping context.DeadlineExceeded", o.op, err)
			}
			if elapsed > bound {
				t.Errorf("%s: returned after %v, want within %v", o.op, elapsed, bound)
			}
		}
	}

	t.Run("killed", func(t *testing.T) {
		srv.Kill()
		fails(t, false)
	})
	t.Run("restarted", func(t *testing.T) {
		srv.Start()
		waitReady(t, s)
		works(t)
	})
	t.Run("not answering", func(t *testing.T) {
		srv.Pause()
		fails(t, true)
		srv.Resume()
		waitReady(t, s)
		works(t)
	})
}
