package pgstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// conformanceStore is a migrated store in a schema of its own.
func conformanceStore(tb testing.TB) session.Store {
	return newStore(tb, pgstore.Config{})
}

func TestConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store { return conformanceStore(t) })
}

func BenchmarkStore(b *testing.B) { sessiontest.Bench(b, conformanceStore) }
