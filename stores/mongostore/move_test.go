package mongostore_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func isLive(t *testing.T, s session.Store, key string) bool {
	t.Helper()
	_, found, err := s.Load(ctx(t), key)
	if err != nil {
		t.Fatalf("Load(%s): %v", key, err)
	}
	return found
}

// Move builds the new record from the old one as it is now (a patch applied after
// the caller loaded it is kept), applies the request's patch, removes the old key
// and moves the user index along.
func TestMoveMerges(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		s := newStore(t, url, mongostore.Config{})
		old, nu := newKey(), newKey()
		rec := record("olga", "a", "1", "b", "2", "odd", "1e400")
		if err := s.Save(ctx(t), old, rec); err != nil {
			t.Fatal(err)
		}
		// Another request writes c after this one loaded the session.
		if ok, err := s.Patch(ctx(t), old, session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"c": json.RawMessage("3")}}); !ok || err != nil {
			t.Fatalf("Patch: got %v, %v, want true, nil", ok, err)
		}
		meta := rec.Meta
		meta.User = "olga2"
		meta.Touched = time.Now()
		moved, err := s.Move(ctx(t), old, nu, session.Patch{Meta: meta,
			Set: map[string]json.RawMessage{"d": json.RawMessage(`{"x":[4]}`)}, Delete: []string{"b"}})
		if !moved || err != nil {
			t.Fatalf("Move: got %v, %v, want true, nil", moved, err)
		}
		if isLive(t, s, old) {
			t.Errorf("Load(old) after Move: got found, want a miss")
		}
		got, found, err := s.Load(ctx(t), nu)
		if err != nil || !found {
			t.Fatalf("Load(new): got %v, %v", found, err)
		}
		want := map[string]string{"a": "1", "c": "3", "d": `{"x":[4]}`, "odd": "1e400"}
		if len(got.Values) != len(want) {
			t.Errorf("Values: got %d keys (%v), want %d", len(got.Values), got.Values, len(want))
		}
		for k, v := range want {
			if string(got.Values[k]) != v {
				t.Errorf("Values[%q]: got %s, want %s", k, got.Values[k], v)
			}
		}
		if got.User != "olga2" {
			t.Errorf("User: got %q, want olga2", got.User)
		}
		for user, wantKey := range map[string]string{"olga": "", "olga2": nu} {
			entries, err := s.UserSessions(ctx(t), user)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case wantKey == "" && len(entries) != 0:
				t.Errorf("UserSessions(%s): got %d entries, want none", user, len(entries))
			case wantKey != "" && (len(entries) != 1 || entries[0].Key != wantKey):
				t.Errorf("UserSessions(%s): got %v, want only the new key", user, entries)
			}
		}
	})
}

// Move of a missing, expired or already moved record changes nothing.
func TestMoveNothing(t *testing.T) {
	s := newStore(t, embedded.URL(), mongostore.Config{})
	tests := []struct {
		name  string
		setup func(key string)
	}{
		{"missing", func(string) {}},
		{"expired", func(key string) {
			// Written straight into the collection: Save would not keep it.
			if err := s.Save(ctx(t), key, record("", "a", "1")); err != nil {
				t.Fatal(err)
			}
			_, err := s.Collection().UpdateOne(ctx(t), bson.D{{Key: "_id", Value: key}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "expires", Value: bson.NewDateTimeFromTime(time.Now().Add(-time.Second))}}}})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"moved already", func(key string) {
			if err := s.Save(ctx(t), key, record("", "a", "1")); err != nil {
				t.Fatal(err)
			}
			if moved, err := s.Move(ctx(t), key, newKey(), session.Patch{Meta: record("").Meta}); !moved || err != nil {
				t.Fatalf("first Move: %v, %v", moved, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, nu := newKey(), newKey()
			tt.setup(old)
			moved, err := s.Move(ctx(t), old, nu, session.Patch{Meta: record("").Meta})
			if moved || err != nil {
				t.Errorf("Move: got %v, %v, want false, nil", moved, err)
			}
			if n, _ := s.Collection().CountDocuments(ctx(t), bson.D{{Key: "_id", Value: nu}}); n != 0 {
				t.Errorf("documents under the new key: got %d, want 0", n)
			}
		})
	}
}

// A document a Move has marked (step 1, as a Move interrupted there leaves it) is
// not live: Load misses it, a Patch is not applied, a second Move finds nothing,
// and Delete removes the key the mark names as well.
func TestMarkedDocument(t *testing.T) {
	s := newStore(t, embedded.URL(), mongostore.Config{})
	old, nu := newKey(), newKey()
	rec := record("olga", "a", "1")
	for _, k := range []string{old, nu} {
		if err := s.Save(ctx(t), k, rec); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Collection().UpdateOne(ctx(t), bson.D{{Key: "_id", Value: old}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "moving", Value: nu}}}}); err != nil {
		t.Fatal(err)
	}
	if isLive(t, s, old) {
		t.Errorf("Load(marked): got found, want a miss")
	}
	if ok, err := s.Patch(ctx(t), old, session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"b": json.RawMessage("2")}}); ok || err != nil {
		t.Errorf("Patch(marked): got %v, %v, want false, nil", ok, err)
	}
	if moved, err := s.Move(ctx(t), old, newKey(), session.Patch{Meta: rec.Meta}); moved || err != nil {
		t.Errorf("Move(marked): got %v, %v, want false, nil", moved, err)
	}
	entries, err := s.UserSessions(ctx(t), "olga")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("UserSessions: got %d entries, want 2 (the marked one listed so that sign-out-everywhere reaches it)", len(entries))
	}
	if err := s.Delete(ctx(t), old); err != nil {
		t.Fatal(err)
	}
	if isLive(t, s, nu) {
		t.Errorf("Load(new) after Delete(old, marked): got found, want a miss")
	}
}

// Rotation against logout, 30 times: whichever runs first, neither key is live
// after both (a logout after the move follows the forwarding mark). On MongoDB
// from two Store instances (two application servers, no lock in common). On
// FerretDB v1 from one: its updates read then write without isolation, and from
// two instances it left the new key live in 4 of 30 trials (see keylock.go).
func TestMoveRacesDelete(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		a := newStore(t, url, mongostore.Config{})
		b := a
		if url != embedded.URL() {
			b = newStore(t, url, mongostore.Config{Collection: a.Collection()})
		}
		var movedN, destroyedFirst int
		for range 30 {
			old, nu := newKey(), newKey()
			rec := record("olga", "a", "1")
			if err := a.Save(ctx(t), old, rec); err != nil {
				t.Fatal(err)
			}
			var (
				wg    sync.WaitGroup
				moved bool
				merr  error
			)
			wg.Go(func() { moved, merr = a.Move(ctx(t), old, nu, session.Patch{Meta: rec.Meta}) })
			wg.Go(func() {
				if err := b.Delete(ctx(t), old); err != nil {
					t.Errorf("Delete: %v", err)
				}
			})
			wg.Wait()
			if merr != nil {
				t.Fatalf("Move: %v", merr)
			}
			oldLive, newLive := isLive(t, a, old), isLive(t, a, nu)
			switch {
			case oldLive:
				t.Errorf("old key live after Delete")
			case newLive:
				t.Errorf("the new key is live after a logout raced the rotation (moved %v): the forwarding mark was not followed", moved)
			case moved:
				movedN++
			default:
				destroyedFirst++
			}
		}
		t.Logf("30 trials: moved before the logout %d, logout won %d", movedN, destroyedFirst)
	})
}

// Rotation against a concurrent write of another key, in one Store, 30 times: a
// write acknowledged as applied is under the new key after a Move.
func TestMoveKeepsAcknowledgedWrite(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		s := newStore(t, url, mongostore.Config{})
		var acked, refused int
		for range 30 {
			old, nu := newKey(), newKey()
			rec := record("olga", "a", "1")
			if err := s.Save(ctx(t), old, rec); err != nil {
				t.Fatal(err)
			}
			var (
				wg      sync.WaitGroup
				moved   bool
				applied bool
			)
			wg.Go(func() {
				var err error
				moved, err = s.Move(ctx(t), old, nu, session.Patch{Meta: rec.Meta})
				if err != nil {
					t.Errorf("Move: %v", err)
				}
			})
			wg.Go(func() {
				var err error
				applied, err = s.Patch(ctx(t), old, session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"w": json.RawMessage("1")}})
				if err != nil {
					t.Errorf("Patch: %v", err)
				}
			})
			wg.Wait()
			if !moved {
				t.Fatalf("Move: got false, want true")
			}
			got, found, err := s.Load(ctx(t), nu)
			if err != nil || !found {
				t.Fatalf("Load(new): %v, %v", found, err)
			}
			_, has := got.Values["w"]
			switch {
			case applied && !has:
				t.Errorf("a patch acknowledged as applied is missing under the new key")
			case applied:
				acked++
			default:
				refused++
			}
		}
		t.Logf("30 trials: write applied before the move %d, refused (applied=false) %d", acked, refused)
	})
}
