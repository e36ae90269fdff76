package boltstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/boltstore"
)

// conformanceStore is a store on a fresh file, with its sweep goroutine running as
// in production.
func conformanceStore(tb testing.TB) session.Store {
	return newStore(tb, boltstore.Config{SweepInterval: boltstore.DefaultSweepInterval})
}

func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return conformanceStore(t) })
}

func BenchmarkStore(b *testing.B) { sessiontest.Bench(b, conformanceStore) }
