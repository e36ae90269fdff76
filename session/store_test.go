package session_test

import (
	"testing"

	"github.com/sesame-go/sesame/session/memstore"
)

// newMemStore returns the real memory store, closed when the test ends.
func newMemStore(t testing.TB) *memstore.Store {
	t.Helper()
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
