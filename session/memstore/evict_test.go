package memstore_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// A full store makes room for a new session by evicting the one closest to its
// deadline; sessions without a deadline go last; expired records go before any
// live one; replacing an existing key evicts nothing.
func TestEviction(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// MaxEntries below 1024 gives one shard, so the bound is exact.
		s := newTestStore(t, memstore.Config{MaxEntries: 3, SweepInterval: time.Hour})
		now := time.Now()
		idle := func(d time.Duration) session.Meta {
			return session.Meta{Created: now, Touched: now, Idle: d}
		}
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
			{"fill 1", "a", idle(10 * time.Minute), 0, []string{"a"}, nil, 0, 0},
			{"fill 2", "b", idle(5 * time.Minute), 0, []string{"a", "b"}, nil, 0, 0},
			{"fill 3", "forever", session.Meta{Created: now, Touched: now}, 0, []string{"a", "b", "forever"}, nil, 0, 0},
			{"replace evicts nothing", "b", idle(6 * time.Minute), 0, []string{"a", "b", "forever"}, nil, 0, 0},
			{"new key evicts the closest deadline", "c", idle(20 * time.Minute), 0,
				[]string{"a", "c", "forever"}, []string{"b"}, 1, 0},
			{"again", "d", idle(30 * time.Minute), 0, []string{"c", "d", "forever"}, []string{"a"}, 2, 0},
			{"no-deadline records go last", "e", idle(40 * time.Minute), 0,
				[]string{"d", "e", "forever"}, []string{"c"}, 3, 0},
			// at 35 minutes d (30m) has expired: it goes, and no live one is evicted.
			{"expired before live", "f", session.Meta{Created: now, Touched: now.Add(35 * time.Minute), Idle: time.Hour},
				35 * time.Minute, []string{"e", "f", "forever"}, []string{"d"}, 3, 1},
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

// The bound holds at scale: a store of MaxEntries 10,000 (8 shards) never holds
// more than that, and starts evicting only when nearly full.
func TestEvictionBound(t *testing.T) {
	const max = 10_000
	s := newTestStore(t, memstore.Config{MaxEntries: max})
	now := time.Now()
	firstEviction := -1
	for i := range 2 * max {
		save(t, s, "key"+itoa(i), session.Meta{Created: now, Touched: now, Idle: time.Duration(i+1) * time.Second})
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
