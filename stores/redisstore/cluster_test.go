package redisstore_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// TestCluster checks what differs on a Redis Cluster, on three masters the test
// starts: sessions and user sets spread over the nodes, the user index follows a
// change of user although the set and the hash are on different nodes, Range
// walks every master, and Ping fails as soon as one master is down.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	nodes := redistest.StartCluster(t, 3)
	client := redistest.ClusterClient(t, nodes)
	const prefix = "sesametest:" // the cluster is the test's own, and dies with it
	s, err := redisstore.New(redisstore.Config{Client: client, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for i := range 60 {
		k := key("c" + string(rune('a'+i%26)) + string(rune('a'+i/26)))
		all = append(all, k)
		if err := s.Save(ctx(t), k, record("u"+string(rune('0'+i%3)), "i", `1`)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("spread over every master", func(t *testing.T) {
		var mu sync.Mutex
		perNode := map[string]int64{}
		err := client.ForEachMaster(ctx(t), func(ctx context.Context, n *redis.Client) error {
			keys, _, err := n.Scan(ctx, 0, prefix+"s:*", 1000).Result()
			mu.Lock()
			perNode[n.Options().Addr] = int64(len(keys))
			mu.Unlock()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for addr, n := range perNode {
			if n == 0 {
				t.Errorf("master %s holds no session, want sessions on every master (%v)", addr, perNode)
			}
		}
	})

	t.Run("user change", func(t *testing.T) {
		k := all[0] // saved for u0
		for _, step := range []struct {
			user string
			save bool
		}{{"w1", false}, {"w2", true}, {"", false}} {
			var err error
			if step.save {
				err = s.Save(ctx(t), k, record(step.user))
			} else {
				_, err = s.Patch(ctx(t), k, session.Patch{Meta: record(step.user).Meta})
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{"u0", "w1", "w2"} {
				members := client.SMembers(ctx(t), prefix+"u:{"+u+"}").Val()
				if got, want := slices.Contains(members, k), u == step.user; got != want {
					t.Errorf("after moving to %q: set of %q holds the session: got %v, want %v", step.user, u, got, want)
				}
			}
		}
		list, err := s.UserSessions(ctx(t), "u1")
		if err != nil || len(list) != 20 {
			t.Errorf("UserSessions(u1): got %d entries, %v, want 20, nil", len(list), err)
		}
	})

	t.Run("range", func(t *testing.T) {
		var got []string
		err := s.Range(ctx(t), func(k string, _ session.Record) error { got = append(got, k); return nil })
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(all))
		if !slices.Equal(got, want) {
			t.Errorf("got %d keys, want %d", len(got), len(want))
		}
	})

	// On a Cluster the session hash and the user set are in different slots:
	// a write of a signed-in session is two scripts, sent in one pipeline that
	// go-redis splits per node and runs on the nodes in parallel.
	t.Run("round trips", func(t *testing.T) {
		var rt roundTrips
		client.AddHook(&rt)
		admins := make([]*redis.Client, len(nodes))
		for i, n := range nodes {
			admins[i] = redis.NewClient(redistest.Options(n.Addr()))
			defer admins[i].Close()
		}
		k := all[1]
		tests := []struct {
			name        string
			op          func(t *testing.T)
			wantEvalsha int
			wantHgetall int
			wantRTs     int64
		}{
			{"Load", func(t *testing.T) {
				if _, found, err := s.Load(ctx(t), k); err != nil || !found {
					t.Fatalf("Load: got %v, %v", found, err)
				}
			}, 0, 1, 1},
			{"Patch, signed in", func(t *testing.T) {
				if ok, err := s.Patch(ctx(t), k, session.Patch{Meta: record("u1").Meta}); err != nil || !ok {
					t.Fatalf("Patch: got %v, %v", ok, err)
				}
			}, 2, 0, 1},
			{"Save, signed in", func(t *testing.T) {
				if err := s.Save(ctx(t), k, record("u1")); err != nil {
					t.Fatal(err)
				}
			}, 2, 0, 1},
			{"Patch, anonymous", func(t *testing.T) {
				if ok, err := s.Patch(ctx(t), all[2], session.Patch{Meta: record("").Meta}); err != nil || !ok {
					t.Fatalf("Patch: got %v, %v", ok, err)
				}
			}, 1, 0, 1},
		}
		// Warm up: every script cached on every node.
		for _, tt := range tests {
			tt.op(t)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := make([]map[string]int, len(admins))
				for i, a := range admins {
					before[i] = commandStats(t, a)
				}
				rts := rt.n.Load()
				tt.op(t)
				rts = rt.n.Load() - rts
				evalsha, hgetall, touched := 0, 0, 0
				for i, a := range admins {
					after := commandStats(t, a)
					d := after["evalsha"] - before[i]["evalsha"] + after["hgetall"] - before[i]["hgetall"]
					evalsha += after["evalsha"] - before[i]["evalsha"]
					hgetall += after["hgetall"] - before[i]["hgetall"]
					if d > 0 {
						touched++
					}
				}
				t.Logf("%s: %d EVALSHA, %d HGETALL on %d node(s), %d client round trip(s)", tt.name, evalsha, hgetall, touched, rts)
				if evalsha != tt.wantEvalsha || hgetall != tt.wantHgetall || rts != tt.wantRTs {
					t.Errorf("got %d EVALSHA, %d HGETALL in %d round trips, want %d, %d in %d",
						evalsha, hgetall, rts, tt.wantEvalsha, tt.wantHgetall, tt.wantRTs)
				}
			})
		}
	})

	t.Run("ping with a master down", func(t *testing.T) {
		if err := s.Ping(ctx(t)); err != nil {
			t.Fatalf("Ping with every master up: %v", err)
		}
		nodes[1].Kill()
		err := s.Ping(ctx(t))
		var se *session.StoreError
		if !errors.As(err, &se) || se.Op != "ping" {
			t.Errorf("Ping with a master down: got %v, want a *session.StoreError for ping", err)
		}
	})
}
