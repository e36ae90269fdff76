package memstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
	"github.com/sesame-go/sesame/session/sessiontest"
)

func newStore(tb testing.TB) session.Store {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		tb.Fatalf("memstore.New(Config{}): got error %v, want nil", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
}

func BenchmarkStore(b *testing.B) {
	sessiontest.Bench(b, newStore)
}

// TestRotationRace: issue 15's attack (chained rotations against one "sign out
// everywhere"), before (Save+Delete) and after (Move); see sessiontest.RotationRace.
func TestRotationRace(t *testing.T) {
	sessiontest.RotationRace(t, "memory", newStore(t))
}
