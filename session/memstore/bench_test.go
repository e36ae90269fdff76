package memstore_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// Load from many goroutines with real-shaped keys: the sharding at work.
// Compare 64 shards with one (MaxEntries below 2048 keeps one shard) over the
// same 1,000 records to see what sharding buys, and 100,000 records to see the
// cost of a working set larger than the CPU caches.
func BenchmarkLoadParallel(b *testing.B) {
	for _, bc := range []struct {
		name    string
		config  memstore.Config
		records int
	}{
		{"64 shards/1000 records", memstore.Config{}, 1000},
		{"1 shard/1000 records", memstore.Config{MaxEntries: 1000}, 1000},
		{"64 shards/100000 records", memstore.Config{}, 100_000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := memstore.New(bc.config)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			now := time.Now()
			rec := session.Record{
				Meta:   session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "u"},
				Values: map[string]json.RawMessage{"user_id": json.RawMessage(`42`)},
			}
			keys := make([]string, bc.records)
			for i := range keys {
				sum := sha256.Sum256([]byte(rand.Text()))
				keys[i] = base64.RawURLEncoding.EncodeToString(sum[:])
				if err := s.Save(ctx, keys[i], rec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := int(time.Now().UnixNano()) // a different start per goroutine
				for pb.Next() {
					i++
					if _, found, err := s.Load(ctx, keys[uint(i)%uint(len(keys))]); err != nil || !found {
						b.Errorf("Load: got found %v, error %v; want true, nil", found, err)
						return
					}
				}
			})
		})
	}
}
