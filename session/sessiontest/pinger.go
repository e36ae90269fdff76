package sessiontest

import (
	"testing"

	"github.com/sesame-go/sesame/session"
)

var pingerRules = []rule{
	{"Healthy", testPing},
}

// Ping of a healthy store reports nil.
func testPing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p, ok := s.(session.Pinger)
	if !ok {
		t.Skipf("store %T does not implement session.Pinger", s)
	}
	if err := p.Ping(t.Context()); err != nil {
		t.Errorf("Ping: got error %v, want nil", err)
	}
}
