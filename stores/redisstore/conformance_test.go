package redisstore_test

import (
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// storeOn returns a constructor of fresh stores on client: each gets a key prefix
// of its own, removed when its test ends.
func storeOn(client redis.UniversalClient) func(tb testing.TB) session.Store {
	return func(tb testing.TB) session.Store {
		tb.Helper()
		s, err := redisstore.New(redisstore.Config{Client: client, Prefix: redistest.UniquePrefix(tb, client)})
		if err != nil {
			tb.Fatalf("New: %v", err)
		}
		return s
	}
}

func TestConformanceSingle(t *testing.T) {
	newStore := storeOn(redistest.Shared(t))
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
}

func TestConformanceCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node Redis Cluster")
	}
	client := redistest.ClusterClient(t, redistest.StartCluster(t, 3))
	newStore := storeOn(client)
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
}
