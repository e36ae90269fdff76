package memstore_test

import (
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// Many goroutines save, patch, delete, load, list and walk the same few keys at
// once, while records expire, the sweeper runs and (when bounded) the store
// evicts. Afterwards, with the clock of the bubble stopped, every view of the
// store must agree: Load, Range, UserSessions and Stats. Run with -race.
func TestConcurrentConsistency(t *testing.T) {
	tests := []struct {
		name       string
		maxEntries int
	}{
		{"bounded one shard", 50},
		{"many shards", 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newTestStore(t, memstore.Config{MaxEntries: tt.maxEntries, SweepInterval: time.Second})
				hammer(t, s, 8, 2000)
				checkConsistent(t, s)
				if st := s.Stats(); st.Records > tt.maxEntries {
					t.Errorf("Records: got %d, want at most %d", st.Records, tt.maxEntries)
				}

				// Much later, only records without a deadline are left, and
				// the sweeper has returned the memory of all others.
				time.Sleep(time.Minute)
				synctest.Wait()
				n := checkConsistent(t, s)
				if st := s.Stats(); st.Records != n {
					t.Errorf("Records a minute later: got %d, want %d (the records without a deadline)", st.Records, n)
				}
			})
		})
	}
}

var (
	stressUsers = []string{"", "u0", "u1", "u2", "u3"}
	stressKeys  = func() []string {
		keys := make([]string, 200)
		for i := range keys {
			keys[i] = "key" + itoa(i)
		}
		return keys
	}()
)

func randomMeta(r *rand.Rand) session.Meta {
	now := time.Now()
	m := session.Meta{Created: now, Touched: now, User: stressUsers[r.IntN(len(stressUsers))]}
	switch r.IntN(4) {
	case 0: // no deadline
	case 1:
		m.Idle = time.Duration(1+r.IntN(200)) * time.Millisecond
	case 2:
		m.Absolute = now.Add(time.Duration(r.IntN(200)-20) * time.Millisecond)
	case 3:
		m.Idle = time.Duration(1+r.IntN(200)) * time.Millisecond
		m.Absolute = now.Add(time.Duration(r.IntN(200)) * time.Millisecond)
	}
	return m
}

func hammer(t *testing.T, s *memstore.Store, workers, ops int) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 42))
			for range ops {
				key := stressKeys[r.IntN(len(stressKeys))]
				var err error
				switch op := r.IntN(100); {
				case op < 25:
					err = s.Save(ctx, key, session.Record{Meta: randomMeta(r), Values: map[string]json.RawMessage{
						"w": json.RawMessage(itoa(w)), "x": json.RawMessage(`"x"`)}})
				case op < 50:
					_, err = s.Patch(ctx, key, session.Patch{Meta: randomMeta(r),
						Set:    map[string]json.RawMessage{"p" + itoa(r.IntN(5)): json.RawMessage(itoa(w))},
						Delete: []string{"p" + itoa(r.IntN(5)), "x"}})
				case op < 60:
					err = s.Delete(ctx, key)
				case op < 85:
					_, _, err = s.Load(ctx, key)
				case op < 93:
					_, err = s.UserSessions(ctx, stressUsers[r.IntN(len(stressUsers))])
				case op < 95:
					err = s.Range(ctx, func(string, session.Record) error { return nil })
				default:
					time.Sleep(time.Duration(r.IntN(10)) * time.Millisecond)
				}
				if err != nil {
					t.Errorf("worker %d: got error %v, want nil", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// checkConsistent compares Load, Range and UserSessions at one instant (the
// bubble's clock does not move while nothing sleeps) and returns how many live
// records have no deadline.
func checkConsistent(t *testing.T, s *memstore.Store) (noDeadline int) {
	t.Helper()
	ctx := context.Background()
	ranged := make(map[string]session.Record)
	err := s.Range(ctx, func(k string, rec session.Record) error {
		if _, dup := ranged[k]; dup {
			t.Errorf("Range visited %s twice, want once", k)
		}
		ranged[k] = rec
		return nil
	})
	if err != nil {
		t.Fatalf("Range: got error %v, want nil", err)
	}
	for _, k := range stressKeys {
		rec, found, err := s.Load(ctx, k)
		if err != nil {
			t.Fatalf("Load(%s): got error %v, want nil", k, err)
		}
		want, inRange := ranged[k]
		if found != inRange {
			t.Errorf("Load(%s): got found %v, want %v (as Range saw it)", k, found, inRange)
			continue
		}
		if found && (rec.User != want.User || !maps.EqualFunc(rec.Values, want.Values, slices.Equal)) {
			t.Errorf("Load(%s): got %+v, want %+v (as Range saw it)", k, rec, want)
		}
		if found && rec.Expires().IsZero() {
			noDeadline++
		}
	}
	for _, u := range stressUsers {
		entries, err := s.UserSessions(ctx, u)
		if err != nil {
			t.Fatalf("UserSessions(%q): got error %v, want nil", u, err)
		}
		var got, want []string
		for _, e := range entries {
			got = append(got, e.Key)
		}
		for k, rec := range ranged {
			if u != "" && rec.User == u {
				want = append(want, k)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("UserSessions(%q): got %q, want %q", u, got, want)
		}
	}
	return noDeadline
}
