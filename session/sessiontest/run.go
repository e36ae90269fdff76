package sessiontest

import (
	"testing"

	"github.com/sesame-go/sesame/session"
)

// A rule is one subtest: it gets a fresh store from newStore and checks one thing.
type rule struct {
	name string
	test func(t *testing.T, newStore func(*testing.T) session.Store)
}

// Run checks the store that newStore returns against every rule of the session
// store contract, one subtest per rule.
//
// newStore is called once per subtest and must return a fresh, empty store that
// no other subtest sees (a new in-memory store, a new Redis database or key
// prefix, a new PostgreSQL schema or table, a new bbolt file); it registers its
// own cleanup with t.Cleanup and fails the test with t.Fatal, saying what to
// start, when the store's server cannot be reached. Subtests run one after the
// other, never in parallel, so newStore may reuse one server.
//
// Subtests for the optional capabilities (session.Patcher, session.Applier, session.Mover,
// session.UserIndex, session.Iterator, session.Pinger) are skipped, with a log line saying so, when
// the store does not implement them.
func Run(t *testing.T, newStore func(t *testing.T) session.Store) {
	t.Helper()
	groups := []struct {
		name  string
		rules []rule
	}{
		{"Basic", basicRules},
		{"Expiry", expiryRules},
		{"Values", valueRules},
		{"Aliasing", aliasingRules},
		{"Patch", patchRules},
		{"Apply", applyRules},
		{"Move", moveRules},
		{"UserIndex", userIndexRules},
		{"Iterator", iteratorRules},
		{"Pinger", pingerRules},
		{"Context", contextRules},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, r := range g.rules {
				t.Run(r.name, func(t *testing.T) {
					r.test(t, newStore)
				})
			}
		})
	}
}
