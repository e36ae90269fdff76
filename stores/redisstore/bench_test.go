package redisstore_test

import (
	"testing"

	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// BenchmarkStore runs the shared store benchmarks against the machine's Redis
// over loopback: the figures are dominated by the round trip.
func BenchmarkStore(b *testing.B) {
	sessiontest.Bench(b, storeOn(redistest.Shared(b)))
}

// BenchmarkStoreCluster runs them against a three-master Cluster the benchmark
// starts.
func BenchmarkStoreCluster(b *testing.B) {
	sessiontest.Bench(b, storeOn(redistest.ClusterClient(b, redistest.StartCluster(b, 3))))
}
