package pgstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

func moveRecord(user string, kv ...string) session.Record {
	now := time.Now()
	rec := session.Record{Meta: session.Meta{Created: now.Add(-time.Minute), Touched: now, Idle: time.Hour, User: user}}
	rec.Values = map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		rec.Values[kv[i]] = json.RawMessage(kv[i+1])
	}
	return rec
}

func listed(t *testing.T, s *pgstore.Store, user string) []string {
	t.Helper()
	list, err := s.UserSessions(t.Context(), user)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range list {
		keys = append(keys, e.Key)
	}
	return keys
}

func found(t *testing.T, s *pgstore.Store, key string) (session.Record, bool) {
	t.Helper()
	rec, ok, err := s.Load(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	return rec, ok
}

// TestMove checks Move's contract on PostgreSQL and the orders in which a
// concurrent request can meet it.
func TestMove(t *testing.T) {
	s := newStore(t, pgstore.Config{})
	ctx := t.Context()
	patch := session.Patch{Meta: moveRecord("bob").Meta, Set: map[string]json.RawMessage{"p": json.RawMessage(`"patched"`)}, Delete: []string{"gone"}}
	fresh := func(t *testing.T) (string, string) {
		t.Helper()
		oldKey, newKey := newKey(), newKey()
		if err := s.Save(ctx, oldKey, moveRecord("alice", "a", `1`, "gone", `2`)); err != nil {
			t.Fatal(err)
		}
		return oldKey, newKey
	}
	move := func(t *testing.T, oldKey, newKey string) bool {
		t.Helper()
		moved, err := s.Move(ctx, oldKey, newKey, patch)
		if err != nil {
			t.Fatalf("Move: %v", err)
		}
		return moved
	}

	t.Run("moves the current record", func(t *testing.T) {
		oldKey, newKey := fresh(t)
		if ok, err := s.Patch(ctx, oldKey, session.Patch{Meta: moveRecord("alice").Meta, Set: map[string]json.RawMessage{"w": json.RawMessage(`3`)}}); !ok || err != nil {
			t.Fatalf("Patch: got %v, %v", ok, err)
		}
		if !move(t, oldKey, newKey) {
			t.Fatal("Move: got moved false, want true")
		}
		got, ok := found(t, s, newKey)
		if !ok {
			t.Fatal("Load(new): got found false, want the record")
		}
		want := map[string]string{"a": `1`, "w": `3`, "p": `"patched"`}
		if len(got.Values) != len(want) || got.User != "bob" {
			t.Errorf("Load(new): got values %v user %q, want %v bob", got.Values, got.User, want)
		}
		for k, v := range want {
			if string(got.Values[k]) != v {
				t.Errorf("value %s: got %s, want %s", k, got.Values[k], v)
			}
		}
		if _, ok := found(t, s, oldKey); ok {
			t.Error("Load(old): got found true, want false")
		}
		if got := listed(t, s, "alice"); slices.Contains(got, oldKey) {
			t.Errorf("UserSessions(alice): got %v, want no %s", got, oldKey)
		}
		if got := listed(t, s, "bob"); !slices.Contains(got, newKey) {
			t.Errorf("UserSessions(bob): got %v, want %s", got, newKey)
		}
		if ok, err := s.Patch(ctx, oldKey, session.Patch{Meta: moveRecord("alice").Meta}); ok || err != nil {
			t.Errorf("Patch(old) after Move: got %v, %v, want false, nil", ok, err)
		}
		if move(t, oldKey, newKey+"x") {
			t.Error("second Move of old: got moved true, want false")
		}
		err := s.Range(ctx, func(k string, _ session.Record) error {
			if k == oldKey {
				t.Errorf("Range visits the forward %s", k)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("nothing to move", func(t *testing.T) {
		for name, setup := range map[string]func(oldKey string){
			"missing": func(oldKey string) { s.Delete(ctx, oldKey) },
			"expired": func(oldKey string) {
				m := moveRecord("alice").Meta
				m.Absolute = time.Now().Add(-time.Second)
				s.Patch(ctx, oldKey, session.Patch{Meta: m})
			},
		} {
			t.Run(name, func(t *testing.T) {
				oldKey, newKey := fresh(t)
				setup(oldKey)
				if move(t, oldKey, newKey) {
					t.Error("Move: got moved true, want false")
				}
				if _, ok := found(t, s, newKey); ok {
					t.Error("Load(new): got found true, want false: a move never resurrects")
				}
			})
		}
	})

	t.Run("a destroy that read the old key ends the moved session", func(t *testing.T) {
		// A "sign out everywhere" lists, the session moves twice, then the
		// listed (old) key is deleted: the chain of forwards is followed.
		oldKey, newKey := fresh(t)
		list := listed(t, s, "alice")
		if !move(t, oldKey, newKey) {
			t.Fatal("Move: got false")
		}
		newer := newKey + "2"
		if moved, err := s.Move(ctx, newKey, newer, patch); !moved || err != nil {
			t.Fatalf("second Move: got %v, %v", moved, err)
		}
		for _, k := range list {
			if err := s.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []string{oldKey, newKey, newer} {
			if _, ok := found(t, s, k); ok {
				t.Errorf("Load(%s) after the sign-out: got found true, want false", k)
			}
		}
		if got := listed(t, s, "bob"); slices.Contains(got, newer) {
			t.Errorf("UserSessions(bob): got %v, want no %s", got, newer)
		}
	})

	t.Run("a destroy 100 moves behind", func(t *testing.T) {
		// A sign-out that fell far behind a thief rotating in a loop still
		// chases the chain to its end.
		first, k := fresh(t)
		if !move(t, first, k) {
			t.Fatal("Move: got false")
		}
		for range 100 {
			next := newKey()
			if !move(t, k, next) {
				t.Fatal("Move: got false")
			}
			k = next
		}
		if err := s.Delete(ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, ok := found(t, s, k); ok {
			t.Error("Load(last) after Delete(first): got found true, want false")
		}
	})

	// A transaction holds the old row's lock, as a request's write in flight
	// would; Move and another request queue behind it, in either order.
	queued := func(t *testing.T, other func(oldKey string) bool, otherFirst bool) (oldKey, newKey string, moved, applied bool) {
		t.Helper()
		oldKey, newKey = fresh(t)
		tx, err := newPool(t).Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(context.Background())
		if _, err := tx.Exec(ctx, "SELECT 1 FROM "+s.Table()+" WHERE key = $1 FOR UPDATE", oldKey); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		first, second := func() { moved = move(t, oldKey, newKey) }, func() { applied = other(oldKey) }
		if otherFirst {
			first, second = second, first
		}
		wg.Go(first)
		waitLocked(t, s, 1)
		wg.Go(second)
		waitLocked(t, s, 2)
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		return oldKey, newKey, moved, applied
	}
	for _, otherFirst := range []bool{false, true} {
		order := map[bool]string{false: "Move first", true: "other first"}[otherFirst]
		t.Run("write queued, "+order, func(t *testing.T) {
			_, newKey, moved, applied := queued(t, func(oldKey string) bool {
				ok, err := s.Patch(ctx, oldKey, session.Patch{Meta: moveRecord("alice").Meta, Set: map[string]json.RawMessage{"w": json.RawMessage(`"x"`)}})
				if err != nil {
					t.Error(err)
				}
				return ok
			}, otherFirst)
			got, _ := found(t, s, newKey)
			t.Logf("moved %v, write applied %v, carried over %v", moved, applied, got.Values["w"] != nil)
			if !moved {
				t.Error("Move: got moved false, want true")
			}
			if applied && string(got.Values["w"]) != `"x"` {
				t.Errorf("an acknowledged write is lost: got %v", got.Values)
			}
		})
		t.Run("delete queued, "+order, func(t *testing.T) {
			oldKey, newKey, _, _ := queued(t, func(oldKey string) bool {
				if err := s.Delete(ctx, oldKey); err != nil {
					t.Error(err)
				}
				return true
			}, otherFirst)
			for _, k := range []string{oldKey, newKey} {
				if _, ok := found(t, s, k); ok {
					t.Errorf("Load(%s) after a destroy: got found true, want false", k)
				}
			}
		})
	}
}

// TestNames checks the names PostgreSQL cannot hold: refused with ErrName before
// any query for a write, never a failing query on every attempt, never renamed.
func TestNames(t *testing.T) {
	s := newStore(t, pgstore.Config{})
	ctx := t.Context()
	k := newKey()
	if err := s.Save(ctx, k, moveRecord("", "ok", `1`)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a\x00b", "\xff"} {
		for op, call := range map[string]func() error{
			"Save": func() error { return s.Save(ctx, k, moveRecord("", name, `1`)) },
			"Patch": func() error {
				_, err := s.Patch(ctx, k, session.Patch{Meta: moveRecord("").Meta, Set: map[string]json.RawMessage{name: json.RawMessage(`1`)}})
				return err
			},
			"Move": func() error {
				_, err := s.Move(ctx, k, newKey(), session.Patch{Meta: moveRecord("").Meta, Set: map[string]json.RawMessage{name: json.RawMessage(`1`)}})
				return err
			},
		} {
			err := call()
			if !errors.Is(err, pgstore.ErrName) {
				t.Errorf("%s with value name %q: got %v, want an error wrapping pgstore.ErrName", op, name, err)
			}
			// The same test as for the Manager's refusal (session.Set).
			if !errors.Is(err, session.ErrInvalidKey) {
				t.Errorf("%s with value name %q: got %v, want an error wrapping session.ErrInvalidKey", op, name, err)
			}
		}
		// Deleting such a name deletes nothing that exists: not an error.
		if ok, err := s.Patch(ctx, k, session.Patch{Meta: moveRecord("").Meta, Delete: []string{name}}); !ok || err != nil {
			t.Errorf("Patch deleting value name %q: got %v, %v, want true, nil", name, ok, err)
		}
		// A store key that cannot exist is a miss.
		if _, ok, err := s.Load(ctx, name); ok || err != nil {
			t.Errorf("Load(%q): got %v, %v, want false, nil", name, ok, err)
		}
		if err := s.Delete(ctx, name); err != nil {
			t.Errorf("Delete(%q): got %v, want nil", name, err)
		}
		if err := s.Save(ctx, name, moveRecord("")); !errors.Is(err, pgstore.ErrKey) {
			t.Errorf("Save(%q): got %v, want an error wrapping pgstore.ErrKey", name, err)
		}
	}
	if got, _ := found(t, s, k); len(got.Values) != 1 || string(got.Values["ok"]) != `1` {
		t.Errorf("after the refused writes: got values %v, want only ok", got.Values)
	}
}

// waitLocked waits until n statements on the store's table wait for a lock.
func waitLocked(t *testing.T, s *pgstore.Store, n int) {
	t.Helper()
	pool := newPool(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got int
		err := pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`, s.Table()).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d statements waiting for a lock after 10s, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
