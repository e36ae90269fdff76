package mongostore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/mongostore"
)

func TestConformance(t *testing.T) {
	forEachServer(t, func(t *testing.T, url string) {
		sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t, url, mongostore.Config{}) })
	})
}

func BenchmarkStore(b *testing.B) {
	sessiontest.Bench(b, func(tb testing.TB) session.Store { return newStore(tb, embedded.URL(), mongostore.Config{}) })
}
