package sessiontest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

// The rotation race: a thief holding a stolen cookie chains
// rotating requests (each loads the session, then Regenerate moves it to a new
// ID), while the victim presses "sign out everywhere" once (list the user's
// sessions, delete each: Manager.DestroyUser). A trial is lost when any session
// of the user is live afterwards. RotationRace runs it with the store's Move and
// with the path stores without Mover take (Save the loaded record under the new
// key, then Delete the old one), and reports how many trials left a session live.

// rotator rotates a session from oldKey to newKey, reporting whether it did.
type rotator func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error)

// saveDelete is the rotation of a store without Mover.
func saveDelete(s session.Store) rotator {
	return func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
		rec, found, err := s.Load(ctx, oldKey)
		if err != nil || !found {
			return false, err
		}
		rec.Meta = p.Meta
		if err := s.Save(ctx, newKey, rec); err != nil {
			return false, err
		}
		return true, s.Delete(ctx, oldKey)
	}
}

// move is the rotation with Move, after the Load every request makes first.
func move(s session.Store) rotator {
	return func(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
		if _, found, err := s.Load(ctx, oldKey); err != nil || !found {
			return false, err
		}
		return s.(session.Mover).Move(ctx, oldKey, newKey, p)
	}
}

// rotateTrials runs the race trials times and returns the number of trials
// after which the user still had a live session.
func rotateTrials(t *testing.T, s session.Store, rotate rotator, trials int) int {
	t.Helper()
	ctx := t.Context()
	ix := s.(session.UserIndex)
	live := 0
	for trial := range trials {
		user := "victim-" + newKey()[:8]
		now := time.Now()
		meta := session.Meta{Created: now, Touched: now, Idle: time.Hour, User: user}
		key := newKey()
		if err := s.Save(ctx, key, session.Record{Meta: meta, Values: map[string]json.RawMessage{"role": json.RawMessage(`"admin"`)}}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		started := make(chan struct{})
		signedOut := make(chan struct{})
		wg.Go(func() { // the thief
			k, after := key, 0
			for i := 0; ; i++ {
				if i == 3 {
					close(started)
				}
				next := newKey()
				moved, err := rotate(ctx, k, next, session.Patch{Meta: meta})
				if err != nil {
					t.Errorf("trial %d: rotation: %v", trial, err)
				}
				if !moved {
					if i < 3 {
						close(started)
					}
					return
				}
				k = next
				select {
				case <-signedOut:
					after++
					if after == 5 { // still rotating after the sign-out: it lost
						return
					}
				default:
				}
			}
		})
		<-started
		list, err := ix.UserSessions(ctx, user) // the victim: sign out everywhere
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range list {
			if err := s.Delete(ctx, e.Key); err != nil {
				t.Fatal(err)
			}
		}
		close(signedOut)
		wg.Wait()
		if left, err := ix.UserSessions(ctx, user); err != nil {
			t.Fatal(err)
		} else if len(left) > 0 {
			live++
			for _, e := range left {
				s.Delete(ctx, e.Key)
			}
		}
	}
	return live
}

// RotationRace is the attack of a thief holding a stolen cookie who chains
// rotating requests (each loads the session, then Regenerate moves it to a new
// ID) while the victim presses "sign out everywhere" once (UserSessions, then
// Delete of each). It runs 30 trials with the path a store without Mover takes
// (Save the loaded record under the new key, then Delete the old one) and 30 with
// the store's Move, logs how many trials left the user a live session with each,
// and fails when any did with Move. s must implement session.Mover and
// session.UserIndex.
func RotationRace(t *testing.T, name string, s session.Store) (before, after int) {
	t.Helper()
	if _, ok := s.(session.Mover); !ok {
		t.Fatalf("%s: the store does not implement session.Mover", name)
	}
	if _, ok := s.(session.UserIndex); !ok {
		t.Fatalf("%s: the store does not implement session.UserIndex", name)
	}
	const trials = 30
	before = rotateTrials(t, s, saveDelete(s), trials)
	after = rotateTrials(t, s, move(s), trials)
	t.Logf("%s: rotation vs sign out everywhere, %d trials: a session stayed live in %d with Save+Delete, %d with Move", name, trials, before, after)
	if after != 0 {
		t.Errorf("%s: with Move a session stayed live in %d of %d trials, want 0", name, after, trials)
	}
	return before, after
}
