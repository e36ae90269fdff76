package boltstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/boltstore"
)

// TestRotationRace: issue 15's attack (chained rotations against one "sign out
// everywhere"), before (Save+Delete) and after (Move); see sessiontest.RotationRace.
func TestRotationRace(t *testing.T) {
	sessiontest.RotationRace(t, "bbolt", newStore(t, boltstore.Config{}))
}
