package redisstore_test

import (
	"context"
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// commandStats returns the calls per command from INFO commandstats. Commands a
// Lua script runs are counted too, under their own names.
func commandStats(t *testing.T, c *redis.Client) map[string]int {
	t.Helper()
	info, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	stats := map[string]int{}
	for line := range strings.Lines(info) {
		name, rest, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(line), "cmdstat_"), ":calls=")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
		if err != nil {
			t.Fatalf("parsing %q: %v", line, err)
		}
		stats[name] = n
	}
	return stats
}

// roundTrips counts what the client sends: one per command or pipeline.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// TestRoundTrips counts, on a redis-server of its own so that no other test
// disturbs the numbers, the commands each operation costs: Load is one HGETALL,
// Save, Patch, Apply and Delete are each one EVALSHA, on one round trip. The commands
// the scripts run inside Redis are listed too, so that a change in them shows.
func TestRoundTrips(t *testing.T) {
	srv := redistest.StartServer(t)
	opts := redistest.Options(srv.Addr())
	opts.PoolSize = 1
	client := redis.NewClient(opts)
	t.Cleanup(func() { client.Close() })
	var rt roundTrips
	client.AddHook(&rt)
	admin := redis.NewClient(redistest.Options(srv.Addr()))
	t.Cleanup(func() { admin.Close() })

	s, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	k, k2 := key("counted"), key("moved")
	idle := time.Hour
	rec := func(user string) session.Record {
		idle += time.Minute // every write extends the session, so the user set's TTL grows too
		r := record(user, "a", `1`, "b", `2`)
		r.Idle = idle
		return r
	}
	// Warm up: open the connection and let EVAL load every script once.
	if err := s.Save(ctx(t), k, rec("u")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Patch(ctx(t), k, session.Patch{Meta: rec("u").Meta}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx(t), k, session.Apply{Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Move(ctx(t), k, k2, session.Patch{Meta: rec("u").Meta}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx(t), k2); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx(t), k, rec("u")); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		op        func(t *testing.T)
		wantCalls map[string]int // every command the server ran
		wantRTs   int64
	}{
		{"Load", func(t *testing.T) {
			if _, found, err := s.Load(ctx(t), k); err != nil || !found {
				t.Fatalf("Load: got %v, %v", found, err)
			}
		}, map[string]int{"hgetall": 1}, 1},
		{"Patch", func(t *testing.T) {
			p := session.Patch{Meta: rec("u").Meta, Set: map[string]json.RawMessage{"c": json.RawMessage(`3`)}, Delete: []string{"a"}}
			if ok, err := s.Patch(ctx(t), k, p); err != nil || !ok {
				t.Fatalf("Patch: got %v, %v", ok, err)
			}
		}, map[string]int{"evalsha": 1,
			// inside the script: liveness check, the patch, the expiry, the user set
			"type": 1, "hmget": 1, "hdel": 1, "hset": 1, "pexpire": 2, "exists": 1, "sadd": 1, "pttl": 1}, 1},
		{"Apply, not due", func(t *testing.T) {
			a := session.Apply{Set: map[string]json.RawMessage{"d": json.RawMessage(`4`)}, Delete: []string{"b"},
				Now: time.Now(), TouchInterval: time.Hour}
			if r, err := s.Apply(ctx(t), k, a); err != nil || !r.Applied || r.Touched {
				t.Fatalf("Apply: got %+v, %v", r, err)
			}
		}, map[string]int{"evalsha": 1,
			// inside the script: liveness check and meta, the patch; no expiry, no user set
			"hmget": 1, "hdel": 1, "hset": 1}, 1},
		{"Apply, due", func(t *testing.T) {
			// PTTL counts milliseconds: 2 ms on, the user set's TTL is below
			// the one the touch gives the session, so it is extended.
			time.Sleep(2 * time.Millisecond)
			if r, err := s.Apply(ctx(t), k, session.Apply{Now: time.Now()}); err != nil || !r.Applied || !r.Touched {
				t.Fatalf("Apply: got %+v, %v", r, err)
			}
		}, map[string]int{"evalsha": 1,
			// the meta fields and the expiry, the user set's TTL
			"hmget": 1, "hset": 1, "pexpire": 2, "exists": 1, "sadd": 1, "pttl": 1}, 1},
		{"Patch moving the session to another user", func(t *testing.T) {
			if ok, err := s.Patch(ctx(t), k, session.Patch{Meta: rec("v").Meta}); err != nil || !ok {
				t.Fatalf("Patch: got %v, %v", ok, err)
			}
		}, map[string]int{"evalsha": 1,
			"type": 1, "hmget": 1, "hset": 1, "pexpire": 2, "srem": 1, "exists": 1, "sadd": 1}, 1}, // the new set gets its first TTL
		{"Save", func(t *testing.T) {
			if err := s.Save(ctx(t), k, rec("v")); err != nil {
				t.Fatal(err)
			}
		}, map[string]int{"evalsha": 1,
			"type": 1, "hmget": 1, "del": 1, "hset": 1, "pexpire": 2, "exists": 1, "sadd": 1, "pttl": 1}, 1},
		{"Move", func(t *testing.T) {
			if ok, err := s.Move(ctx(t), k, k2, session.Patch{Meta: rec("v").Meta}); err != nil || !ok {
				t.Fatalf("Move: got %v, %v", ok, err)
			}
		}, map[string]int{"evalsha": 1,
			// inside the script: liveness check, rename, the patch and the
			// forward, the expiries, the old and new user sets
			"type": 1, "hmget": 1, "rename": 1, "hset": 2, "pexpire": 3, "srem": 1, "exists": 1, "sadd": 1}, 1}, // v's set is new: its first TTL
		{"Delete of a forward", func(t *testing.T) {
			// the forward, then the session it points to
			if err := s.Delete(ctx(t), k); err != nil {
				t.Fatal(err)
			}
		}, map[string]int{"evalsha": 2, "type": 2, "hmget": 2, "del": 2, "srem": 1}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := commandStats(t, admin)
			rtBefore := rt.n.Load()
			tt.op(t)
			rts := rt.n.Load() - rtBefore
			after := commandStats(t, admin)
			got := map[string]int{}
			for name, n := range after {
				if d := n - before[name]; d != 0 && name != "info" {
					got[name] = d
				}
			}
			if !maps.Equal(got, tt.wantCalls) {
				t.Errorf("commands: got %v, want %v", got, tt.wantCalls)
			}
			if rts != tt.wantRTs {
				t.Errorf("round trips: got %d, want %d", rts, tt.wantRTs)
			}
		})
	}
}
