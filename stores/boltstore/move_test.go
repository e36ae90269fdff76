package boltstore_test

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore"
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

// TestMove checks Move's contract on bbolt: the current record moves with the
// patch, the user index follows, nothing moves that is gone, and a destroy that
// read the old key before the move (chained or not) still ends the session.
func TestMove(t *testing.T) {
	s := newStore(t, boltstore.Config{})
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
	found := func(t *testing.T, key string) (session.Record, bool) {
		t.Helper()
		rec, ok, err := s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return rec, ok
	}
	listed := func(t *testing.T, user string) []string {
		t.Helper()
		list, err := s.UserSessions(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range list {
			keys = append(keys, e.Key)
		}
		return keys
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
		got, ok := found(t, newKey)
		want := map[string]string{"a": `1`, "w": `3`, "p": `"patched"`}
		if !ok || len(got.Values) != len(want) || got.User != "bob" {
			t.Fatalf("Load(new): got %v, values %v, user %q; want the record with %v, bob", ok, got.Values, got.User, want)
		}
		for k, v := range want {
			if string(got.Values[k]) != v {
				t.Errorf("value %s: got %s, want %s", k, got.Values[k], v)
			}
		}
		if _, ok := found(t, oldKey); ok {
			t.Error("Load(old): got found true, want false")
		}
		if got := listed(t, "alice"); slices.Contains(got, oldKey) {
			t.Errorf("UserSessions(alice): got %v, want no %s", got, oldKey)
		}
		if got := listed(t, "bob"); !slices.Contains(got, newKey) {
			t.Errorf("UserSessions(bob): got %v, want %s", got, newKey)
		}
		if ok, err := s.Patch(ctx, oldKey, session.Patch{Meta: moveRecord("alice").Meta}); ok || err != nil {
			t.Errorf("Patch(old) after Move: got %v, %v, want false, nil", ok, err)
		}
		if move(t, oldKey, "another") {
			t.Error("second Move of old: got moved true, want false")
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
				if _, ok := found(t, newKey); ok {
					t.Error("Load(new): got found true, want false: a move never resurrects")
				}
			})
		}
	})

	t.Run("a destroy that read the old key ends the moved session", func(t *testing.T) {
		oldKey, newKey := fresh(t)
		list := listed(t, "alice")
		newer := newKey + "2"
		if !move(t, oldKey, newKey) || !move(t, newKey, newer) {
			t.Fatal("Move: got false")
		}
		for _, k := range list {
			if err := s.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []string{oldKey, newKey, newer} {
			if _, ok := found(t, k); ok {
				t.Errorf("Load(%s) after the sign-out: got found true, want false", k)
			}
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
		if _, ok := found(t, k); ok {
			t.Error("Load(last) after Delete(first): got found true, want false")
		}
	})

	t.Run("concurrent writes are carried or refused", func(t *testing.T) {
		for range 30 {
			oldKey, newKey := fresh(t)
			var applied, moved bool
			var wg sync.WaitGroup
			start := make(chan struct{})
			wg.Go(func() {
				<-start
				var err error
				applied, err = s.Patch(ctx, oldKey, session.Patch{Meta: moveRecord("alice").Meta, Set: map[string]json.RawMessage{"w": json.RawMessage(`"x"`)}})
				if err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() { <-start; moved = move(t, oldKey, newKey) })
			close(start)
			wg.Wait()
			got, _ := found(t, newKey)
			if !moved {
				t.Fatal("Move: got moved false, want true")
			}
			if applied && string(got.Values["w"]) != `"x"` {
				t.Fatalf("an acknowledged write is lost: got %v", got.Values)
			}
		}
	})

}
