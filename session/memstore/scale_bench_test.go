package memstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// BenchmarkPatchScale patches random sessions of a store holding n of them, as
// the bench's scale runs write: with the deadline unchanged (a write within the
// touch interval) and moved (the first write after it, which repositions the
// entry in its shard's expiry heap). The drift from 1,000 to 1,000,000 sessions
// is the cost of a working set larger than the CPU caches.
func BenchmarkPatchScale(b *testing.B) {
	for _, n := range []int{1000, 1_000_000} {
		for _, moved := range []bool{false, true} {
			b.Run(fmt.Sprintf("n=%d/deadline-moved=%v", n, moved), func(b *testing.B) {
				s, err := memstore.New(memstore.Config{MaxEntries: 2 * n})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				ctx := context.Background()
				now := time.Now()
				rec := session.Record{
					Meta:   session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "u"},
					Values: map[string]json.RawMessage{"user": json.RawMessage(`"alice"`)},
				}
				keys := make([]string, n)
				for i := range keys {
					keys[i] = fmt.Sprintf("%043d", i)
					if err := s.Save(ctx, keys[i], rec); err != nil {
						b.Fatal(err)
					}
				}
				p := session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"n": json.RawMessage(`1`)}}
				r := rand.New(rand.NewPCG(1, 2))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					if moved {
						p.Meta.Touched = now.Add(time.Duration(i) * time.Millisecond)
					}
					if _, err := s.Patch(ctx, keys[r.IntN(n)], p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
