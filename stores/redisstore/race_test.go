package redisstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// TestRotationRace: issue 15's attack (chained rotations against one "sign out
// everywhere"), before (Save+Delete) and after (Move), on a single node and a
// Cluster; see sessiontest.RotationRace.
func TestRotationRace(t *testing.T) {
	t.Run("single", func(t *testing.T) {
		s, _, _ := sharedStore(t)
		sessiontest.RotationRace(t, "Redis", s)
	})
	t.Run("cluster", func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts a three-node Redis Cluster")
		}
		client := redistest.ClusterClient(t, redistest.StartCluster(t, 3))
		sessiontest.RotationRace(t, "Redis Cluster", storeOn(client)(t))
	})
}
