package redisstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// pauser is a go-redis hook that calls a function just before the client sends
// each command (or pipeline), with its number, so a test can place another
// client's call between any two steps of a Move. The EVAL that go-redis sends
// after a NOSCRIPT reply is not a step of its own and is not counted.
type pauser struct {
	mu sync.Mutex
	n  int
	fn func(i int)
}

// arm makes fn run before each command from now on, numbered from 0; nil stops.
// It returns how many commands were counted since the previous arm.
func (p *pauser) arm(fn func(i int)) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.n
	p.n, p.fn = 0, fn
	return n
}

func (p *pauser) step(name string) {
	if name == "eval" {
		return
	}
	p.mu.Lock()
	fn, i := p.fn, p.n
	p.n++
	p.mu.Unlock()
	if fn != nil {
		fn(i)
	}
}

func (p *pauser) DialHook(next redis.DialHook) redis.DialHook { return next }
func (p *pauser) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { p.step(cmd.Name()); return next(ctx, cmd) }
}
func (p *pauser) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { p.step("pipeline"); return next(ctx, cmds) }
}

// moveFixture is two stores on one prefix: mover's client carries the pauser,
// other's does not (it is the concurrent request).
type moveFixture struct {
	mover, other *redisstore.Store
	pause        *pauser
}

func newMoveFixture(t *testing.T, mk func() redis.UniversalClient) moveFixture {
	t.Helper()
	a, b := mk(), mk()
	t.Cleanup(func() { a.Close(); b.Close() })
	prefix := redistest.UniquePrefix(t, b)
	p := &pauser{}
	a.AddHook(p)
	mover, err := redisstore.New(redisstore.Config{Client: a, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	other, err := redisstore.New(redisstore.Config{Client: b, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	return moveFixture{mover, other, p}
}

func singleClient() redis.UniversalClient {
	return redis.NewClient(redistest.Options(redistest.SharedAddr()))
}

func clusterClients(t *testing.T) func() redis.UniversalClient {
	nodes := redistest.StartCluster(t, 3)
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.Addr()
	}
	return func() redis.UniversalClient {
		o := redistest.Options("")
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: addrs, ContextTimeoutEnabled: true, DialTimeout: o.DialTimeout,
			ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, MaxRetries: o.MaxRetries,
		})
	}
}

func TestMoveSingle(t *testing.T) {
	redistest.Shared(t)
	testMove(t, singleClient)
}

func TestMoveCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	testMove(t, clusterClients(t))
}

// testMove checks Move's contract, then forces every interleaving of a Move's
// steps with a destroy, a "sign out everywhere" (whose listing and deleting are
// placed independently) and a write of another key.
func testMove(t *testing.T, mk func() redis.UniversalClient) {
	f := newMoveFixture(t, mk)
	s := f.mover
	patch := session.Patch{Meta: record("bob").Meta, Set: map[string]json.RawMessage{"p": json.RawMessage(`"patched"`)}, Delete: []string{"gone"}}
	n := 0
	fresh := func(t *testing.T) (oldKey, newKey string) {
		t.Helper()
		n++
		oldKey, newKey = key(fmt.Sprintf("o%03d", n)), key(fmt.Sprintf("n%03d", n))
		if err := s.Save(ctx(t), oldKey, record("alice", "a", `1`, "gone", `2`)); err != nil {
			t.Fatal(err)
		}
		return oldKey, newKey
	}
	live := func(t *testing.T, k string) (session.Record, bool) {
		t.Helper()
		rec, found, err := f.other.Load(ctx(t), k)
		if err != nil {
			t.Fatal(err)
		}
		return rec, found
	}
	// users lists the keys among these that UserSessions(user) returns.
	users := func(t *testing.T, user string, these ...string) []string {
		t.Helper()
		list, err := f.other.UserSessions(ctx(t), user)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range list {
			if slices.Contains(these, e.Key) {
				keys = append(keys, e.Key)
			}
		}
		return keys
	}

	t.Run("moves the current record", func(t *testing.T) {
		oldKey, newKey := fresh(t)
		// A write the mover never loaded: it must be carried over.
		if ok, err := f.other.Patch(ctx(t), oldKey, session.Patch{Meta: record("alice").Meta, Set: map[string]json.RawMessage{"w": json.RawMessage(`3`)}}); err != nil || !ok {
			t.Fatalf("Patch: got %v, %v, want true, nil", ok, err)
		}
		moved, err := s.Move(ctx(t), oldKey, newKey, patch)
		if err != nil || !moved {
			t.Fatalf("Move: got %v, %v, want true, nil", moved, err)
		}
		got, found := live(t, newKey)
		if !found {
			t.Fatal("Load(new) after Move: got found false, want the record")
		}
		want := record("bob", "a", `1`, "w", `3`, "p", `"patched"`)
		want.Meta = patch.Meta
		sameRecord(t, got, want)
		if _, found := live(t, oldKey); found {
			t.Error("Load(old) after Move: got found true, want false")
		}
		if got := users(t, "alice", oldKey, newKey); len(got) != 0 {
			t.Errorf("UserSessions(alice) after Move to bob: got %v, want none", got)
		}
		if got := users(t, "bob", oldKey, newKey); len(got) != 1 || got[0] != newKey {
			t.Errorf("UserSessions(bob) after Move: got %v, want [%s]", got, newKey)
		}
		if ok, err := f.other.Patch(ctx(t), oldKey, session.Patch{Meta: record("alice").Meta}); err != nil || ok {
			t.Errorf("Patch(old) after Move: got %v, %v, want false, nil", ok, err)
		}
		if moved, err := s.Move(ctx(t), oldKey, key("again"), patch); err != nil || moved {
			t.Errorf("second Move of old: got %v, %v, want false, nil", moved, err)
		}
		var keys []string
		if err := f.other.Range(ctx(t), func(k string, _ session.Record) error { keys = append(keys, k); return nil }); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.Join(keys, " "), oldKey) {
			t.Errorf("Range after Move: got %v, want no %s", keys, oldKey)
		}
	})

	t.Run("nothing to move", func(t *testing.T) {
		for _, tt := range []struct {
			name  string
			setup func(t *testing.T, oldKey string)
		}{
			{"missing", func(t *testing.T, oldKey string) { f.other.Delete(ctx(t), oldKey) }},
			{"expired", func(t *testing.T, oldKey string) {
				rec := record("alice")
				rec.Absolute = rec.Touched.Add(-1)
				f.other.Patch(ctx(t), oldKey, session.Patch{Meta: rec.Meta})
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				oldKey, newKey := fresh(t)
				tt.setup(t, oldKey)
				moved, err := s.Move(ctx(t), oldKey, newKey, patch)
				if err != nil || moved {
					t.Errorf("Move: got %v, %v, want false, nil", moved, err)
				}
				if _, found := live(t, newKey); found {
					t.Error("Load(new): got found true, want false: a move never resurrects")
				}
				if got := users(t, "bob", oldKey, newKey); len(got) != 0 {
					t.Errorf("UserSessions(bob): got %v, want none", got)
				}
			})
		}
	})

	t.Run("destroy after the move follows the forward", func(t *testing.T) {
		oldKey, newKey := fresh(t)
		if moved, err := s.Move(ctx(t), oldKey, newKey, patch); err != nil || !moved {
			t.Fatalf("Move: got %v, %v", moved, err)
		}
		// A chain: the new session moves again before the late destroy.
		newer := key(fmt.Sprintf("m%03d", n))
		if moved, err := s.Move(ctx(t), newKey, newer, patch); err != nil || !moved {
			t.Fatalf("second Move: got %v, %v", moved, err)
		}
		// A sign-out that fell far behind a thief rotating in a loop still
		// chases the chain to its end.
		for i := range 100 {
			next := key(fmt.Sprintf("c%03d-%03d", n, i))
			if moved, err := s.Move(ctx(t), newer, next, patch); err != nil || !moved {
				t.Fatalf("Move %d: got %v, %v", i, moved, err)
			}
			newer = next
		}
		if err := f.other.Delete(ctx(t), oldKey); err != nil {
			t.Fatal(err)
		}
		if _, found := live(t, newer); found {
			t.Error("Load(newest) after Delete(old): got found true, want false")
		}
		if got := users(t, "bob", newer); len(got) != 0 {
			t.Errorf("UserSessions(bob) after Delete(old): got %v, want none", got)
		}
	})

	// Count the commands of one Move, then place the other request before each.
	oldKey, newKey := fresh(t)
	f.pause.arm(nil)
	if moved, err := s.Move(ctx(t), oldKey, newKey, patch); err != nil || !moved {
		t.Fatalf("Move: got %v, %v", moved, err)
	}
	steps := f.pause.arm(nil)
	t.Logf("a Move sends %d command(s)", steps)

	// runAt runs Move with calls[i] just before the mover's command i, and
	// calls[steps] after Move returns.
	runAt := func(t *testing.T, oldKey, newKey string, calls map[int][]func()) bool {
		t.Helper()
		f.pause.arm(func(i int) {
			for _, fn := range calls[i] {
				fn()
			}
		})
		moved, err := s.Move(ctx(t), oldKey, newKey, patch)
		f.pause.arm(nil)
		if err != nil {
			t.Fatalf("Move: %v", err)
		}
		for _, fn := range calls[steps] {
			fn()
		}
		return moved
	}
	noneLive := func(t *testing.T, oldKey, newKey string) {
		t.Helper()
		for _, k := range []string{oldKey, newKey} {
			if _, found := live(t, k); found {
				t.Errorf("Load(%s): got found true, want the session destroyed", k[:4])
			}
		}
		for _, u := range []string{"alice", "bob"} {
			if got := users(t, u, oldKey, newKey); len(got) != 0 {
				t.Errorf("UserSessions(%s): got %v, want none", u, got)
			}
		}
	}

	for i := 0; i <= steps; i++ {
		t.Run(fmt.Sprintf("delete before command %d", i), func(t *testing.T) {
			oldKey, newKey := fresh(t)
			runAt(t, oldKey, newKey, map[int][]func(){i: {func() {
				if err := f.other.Delete(ctx(t), oldKey); err != nil {
					t.Error(err)
				}
			}}})
			noneLive(t, oldKey, newKey)
		})
	}
	// A "sign out everywhere" is a listing, then a Delete of each listed key:
	// each half is placed at every point, the listing first.
	for i := 0; i <= steps; i++ {
		for j := i; j <= steps; j++ {
			t.Run(fmt.Sprintf("sign out everywhere: list before command %d, delete before %d", i, j), func(t *testing.T) {
				oldKey, newKey := fresh(t)
				var listed []session.Entry
				list := func() {
					// The session is alice's when the sign-out starts; the
					// move hands it to bob: both are signed out.
					for _, u := range []string{"alice", "bob"} {
						l, err := f.other.UserSessions(ctx(t), u)
						if err != nil {
							t.Error(err)
						}
						listed = append(listed, l...)
					}
				}
				del := func() {
					for _, e := range listed {
						if err := f.other.Delete(ctx(t), e.Key); err != nil {
							t.Error(err)
						}
					}
				}
				calls := map[int][]func(){}
				calls[i] = append(calls[i], list)
				calls[j] = append(calls[j], del)
				runAt(t, oldKey, newKey, calls)
				noneLive(t, oldKey, newKey)
			})
		}
	}
	for i := 0; i <= steps; i++ {
		t.Run(fmt.Sprintf("write before command %d", i), func(t *testing.T) {
			oldKey, newKey := fresh(t)
			var applied bool
			moved := runAt(t, oldKey, newKey, map[int][]func(){i: {func() {
				var err error
				applied, err = f.other.Patch(ctx(t), oldKey, session.Patch{Meta: record("alice").Meta, Set: map[string]json.RawMessage{"w": json.RawMessage(`"x"`)}})
				if err != nil {
					t.Error(err)
				}
			}}})
			if !moved {
				t.Fatal("Move: got moved false, want true")
			}
			got, found := live(t, newKey)
			if !found {
				t.Fatal("Load(new): got found false")
			}
			if applied && i < steps && string(got.Values["w"]) != `"x"` {
				t.Errorf("a write acknowledged before the move finished is lost: got values %v", got.Values)
			}
			t.Logf("write before command %d: applied %v, carried over %v", i, applied, got.Values["w"] != nil)
		})
	}
}
