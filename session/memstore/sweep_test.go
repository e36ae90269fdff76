package memstore_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func newTestStore(t *testing.T, c memstore.Config) *memstore.Store {
	t.Helper()
	s, err := memstore.New(c)
	if err != nil {
		t.Fatalf("New(%+v): got error %v, want nil", c, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func save(t *testing.T, s *memstore.Store, key string, meta session.Meta) {
	t.Helper()
	if err := s.Save(context.Background(), key, session.Record{Meta: meta}); err != nil {
		t.Fatalf("Save(%s): got error %v, want nil", key, err)
	}
}

func found(t *testing.T, s *memstore.Store, key string) bool {
	t.Helper()
	_, ok, err := s.Load(context.Background(), key)
	if err != nil {
		t.Fatalf("Load(%s): got error %v, want nil", key, err)
	}
	return ok
}

// The sweeper removes expired records at each interval, and only then; Load
// hides them in between.
func TestSweepInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestStore(t, memstore.Config{SweepInterval: time.Minute})
		start := time.Now()
		save(t, s, "soon", session.Meta{Created: start, Touched: start, Absolute: start.Add(30 * time.Second)})
		save(t, s, "later", session.Meta{Created: start, Touched: start, Idle: 90 * time.Second})
		save(t, s, "never", session.Meta{Created: start, Touched: start})

		steps := []struct {
			at      time.Duration // since start
			records int           // Stats().Records
			swept   uint64
			live    []string
			gone    []string
		}{
			{0, 3, 0, []string{"soon", "later", "never"}, nil},
			{45 * time.Second, 3, 0, []string{"later", "never"}, []string{"soon"}},
			{61 * time.Second, 2, 1, []string{"later", "never"}, []string{"soon"}},
			{100 * time.Second, 2, 1, []string{"never"}, []string{"soon", "later"}},
			{121 * time.Second, 1, 2, []string{"never"}, []string{"soon", "later"}},
			{time.Hour, 1, 2, []string{"never"}, nil},
		}
		for _, st := range steps {
			time.Sleep(time.Until(start.Add(st.at)))
			synctest.Wait() // let the sweeper finish the tick it woke for
			got := s.Stats()
			if got.Records != st.records || got.Swept != st.swept {
				t.Errorf("at %v: got Records %d Swept %d, want %d and %d", st.at, got.Records, got.Swept, st.records, st.swept)
			}
			for _, k := range st.live {
				if !found(t, s, k) {
					t.Errorf("at %v: Load(%s) got found false, want true", st.at, k)
				}
			}
			for _, k := range st.gone {
				if found(t, s, k) {
					t.Errorf("at %v: Load(%s) got found true, want false", st.at, k)
				}
			}
		}
	})
}

// The sweeper keeps the user index in step: a swept record is not listed, and
// a sweep of many records in one shard (more than one batch) removes them all.
func TestSweepMany(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestStore(t, memstore.Config{MaxEntries: 1000, SweepInterval: time.Second}) // one shard
		now := time.Now()
		for i := range 1000 {
			save(t, s, "k"+itoa(i), session.Meta{Created: now, Touched: now, Idle: time.Second, User: "u" + itoa(i%7)})
		}
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if got := s.Stats(); got.Records != 0 || got.Swept != 1000 {
			t.Errorf("after the sweep: got Records %d Swept %d, want 0 and 1000", got.Records, got.Swept)
		}
		entries, err := s.UserSessions(context.Background(), "u3")
		if err != nil || len(entries) != 0 {
			t.Errorf("UserSessions(u3) after the sweep: got %d entries, error %v; want 0, nil", len(entries), err)
		}
	})
}
