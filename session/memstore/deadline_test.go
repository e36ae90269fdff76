package memstore_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// TestDeadlineMoves: a patch that extends a session's deadline leaves it where
// it was in the expiry heap (entry.due), so the sweeper meets it at its old
// deadline; it must keep the session then and remove it at the new one. A
// patch that shortens the deadline takes effect at once, and a session moved
// from "never" to a deadline expires.
func TestDeadlineMoves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestStore(t, memstore.Config{SweepInterval: 10 * time.Second})
		ctx := context.Background()
		start := time.Now()
		meta := func(touched time.Duration, idle time.Duration) session.Meta {
			return session.Meta{Created: start, Touched: start.Add(touched), Idle: idle}
		}
		save(t, s, "extended", meta(0, time.Minute))
		save(t, s, "shortened", meta(0, time.Hour))
		save(t, s, "bounded", meta(0, 0)) // never expires, until patched
		patch := func(key string, m session.Meta) {
			t.Helper()
			if applied, err := s.Patch(ctx, key, session.Patch{Meta: m}); err != nil || !applied {
				t.Fatalf("Patch(%s): got applied %v, error %v; want true, nil", key, applied, err)
			}
		}
		time.Sleep(30 * time.Second)
		patch("extended", meta(30*time.Second, time.Minute)) // deadline 60s → 90s
		patch("shortened", meta(30*time.Second, time.Minute))
		patch("bounded", meta(30*time.Second, time.Minute))

		steps := []struct {
			at    time.Duration
			swept uint64
			live  []string
			gone  []string
		}{
			{75 * time.Second, 0, []string{"extended", "shortened", "bounded"}, nil},
			{95 * time.Second, 3, nil, []string{"extended", "shortened", "bounded"}},
		}
		for _, st := range steps {
			time.Sleep(time.Until(start.Add(st.at)))
			synctest.Wait()
			if got := s.Stats().Swept; got != st.swept {
				t.Errorf("at %v: got Swept %d, want %d", st.at, got, st.swept)
			}
			for _, k := range st.live {
				if !found(t, s, k) {
					t.Errorf("at %v: %s is gone, want it live", st.at, k)
				}
			}
			for _, k := range st.gone {
				if found(t, s, k) {
					t.Errorf("at %v: %s is still there, want it expired", st.at, k)
				}
			}
		}
	})
}
