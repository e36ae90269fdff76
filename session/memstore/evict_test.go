package memstore_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// A full store makes room for a new session by evicting, after any expired
// record, the least recently written record that never held a user, and a
// signed-in one only when no anonymous one is left; replacing an existing key
// evicts nothing, and a write makes a record recent again.
func TestEviction(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// MaxEntries below 1024 gives one shard, so the bound is exact.
		s := newTestStore(t, memstore.Config{MaxEntries: 3, SweepInterval: time.Hour})
		now := time.Now()
		anon := session.Meta{Created: now, Touched: now, Idle: time.Hour}
		user := anon
		user.User = "alice"
		steps := []struct {
			name    string
			key     string
			meta    session.Meta
			sleep   time.Duration // before the save
			live    []string
			gone    []string
			evicted uint64
			swept   uint64
		}{
			{"fill 1", "u1", user, 0, []string{"u1"}, nil, 0, 0},
			{"fill 2", "a", anon, 0, []string{"u1", "a"}, nil, 0, 0},
			{"fill 3", "b", anon, 0, []string{"u1", "a", "b"}, nil, 0, 0},
			{"rewrite makes a recent, evicts nothing", "a", anon, 0, []string{"u1", "a", "b"}, nil, 0, 0},
			{"new key evicts the least recent anonymous", "c", anon, 0, []string{"u1", "a", "c"}, []string{"b"}, 1, 0},
			{"a signed-in user is kept while anonymous ones remain", "d", anon, 0,
				[]string{"u1", "c", "d"}, []string{"a"}, 2, 0},
			{"signing in moves a record to the kept class", "c", user, 0, []string{"u1", "c", "d"}, nil, 2, 0},
			{"then the last anonymous goes", "e", user, 0, []string{"u1", "c", "e"}, []string{"d"}, 3, 0},
			{"only users left: the least recent user goes", "f", anon, 0, []string{"c", "e", "f"}, []string{"u1"}, 4, 0},
			// at 2 hours every record has expired: they go, and no live one is evicted.
			{"expired before live", "g", session.Meta{Created: now, Touched: now.Add(2 * time.Hour), Idle: time.Hour},
				2 * time.Hour, []string{"g"}, []string{"c", "e", "f"}, 4, 3},
		}
		for _, st := range steps {
			time.Sleep(st.sleep)
			save(t, s, st.key, st.meta)
			for _, k := range st.live {
				if !found(t, s, k) {
					t.Errorf("%s: Load(%s) got found false, want true", st.name, k)
				}
			}
			for _, k := range st.gone {
				if found(t, s, k) {
					t.Errorf("%s: Load(%s) got found true, want false", st.name, k)
				}
			}
			got := s.Stats()
			if got.Records > 3 || got.Evicted != st.evicted || got.Swept != st.swept {
				t.Errorf("%s: got Records %d Evicted %d Swept %d, want at most 3, %d, %d",
					st.name, got.Records, got.Evicted, got.Swept, st.evicted, st.swept)
			}
		}
	})
}

// The flood of issue 15: with MaxEntries N, N anonymous writes (a crawler, a
// script without cookies) leave every signed-in session alive. The old order
// (closest deadline first) evicted all 50.
func TestFloodKeepsSignedInUsers(t *testing.T) {
	for _, max := range []int{2_000, 20_000} { // one shard; 16 shards
		t.Run(itoa(max), func(t *testing.T) {
			s := newTestStore(t, memstore.Config{MaxEntries: max})
			now := time.Now()
			const users = 50
			for i := range users {
				m := session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute, User: "user" + itoa(i)}
				save(t, s, "signed-in-"+itoa(i), m)
			}
			for i := range max {
				// Later saves have later deadlines, as new sessions do.
				save(t, s, "anon-"+itoa(i), session.Meta{Created: now, Touched: now.Add(time.Duration(i) * time.Millisecond), Idle: 30 * time.Minute})
			}
			alive := 0
			for i := range users {
				if found(t, s, "signed-in-"+itoa(i)) {
					alive++
				}
			}
			if alive != users {
				t.Errorf("after %d anonymous writes into MaxEntries %d: got %d of %d signed-in sessions alive, want all",
					max, max, alive, users)
			}
			if st := s.Stats(); st.Records > max {
				t.Errorf("Records: got %d, want at most %d", st.Records, max)
			}
		})
	}
}

// The bound holds at scale: a store of MaxEntries 10,000 (8 shards) never holds
// more than that, and starts evicting only when nearly full.
func TestEvictionBound(t *testing.T) {
	const max = 10_000
	s := newTestStore(t, memstore.Config{MaxEntries: max})
	now := time.Now()
	firstEviction := -1
	for i := range 2 * max {
		save(t, s, "key"+itoa(i), session.Meta{Created: now, Touched: now, Idle: time.Hour + time.Duration(i)*time.Second})
		if firstEviction < 0 && s.Stats().Evicted > 0 {
			firstEviction = i
		}
	}
	st := s.Stats()
	if st.Records > max {
		t.Errorf("Records after %d saves: got %d, want at most %d", 2*max, st.Records, max)
	}
	if firstEviction < max*9/10 {
		t.Errorf("first eviction: got at save %d, want none before %d (90%% full)", firstEviction, max*9/10)
	}
	if want := uint64(2*max - st.Records); st.Evicted != want {
		t.Errorf("Evicted: got %d, want %d (saves minus records held)", st.Evicted, want)
	}
}
