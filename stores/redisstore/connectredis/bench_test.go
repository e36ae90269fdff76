package connectredis_test

import (
	"testing"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
)

// BenchmarkStore reports Load, Save and Patch like every other store, on the
// shared Redis.
func BenchmarkStore(b *testing.B) {
	sessiontest.Bench(b, func(tb testing.TB) session.Store {
		s, _, _ := newStore(tb, express.CookieOptions{})
		return s
	})
}
