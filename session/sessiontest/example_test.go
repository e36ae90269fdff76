package sessiontest_test

import (
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
	"github.com/sesame-go/sesame/session/sessiontest"
)

// newStore is what a store's tests write once: a fresh store per call, closed
// when the test ends.
func newStore(tb testing.TB) session.Store {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		tb.Fatalf("memstore.New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// A store's conformance test, in the store's own _test.go file.
func ExampleRun() {
	_ = func(t *testing.T) { // func TestConformance(t *testing.T)
		sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
	}
}

// A store's benchmarks, in the store's own _test.go file; run them with
// go test -run '^$' -bench . -benchmem.
func ExampleBench() {
	_ = func(b *testing.B) { // func BenchmarkStore(b *testing.B)
		sessiontest.Bench(b, newStore)
	}
}
