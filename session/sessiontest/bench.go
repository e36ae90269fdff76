package sessiontest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

// Bench runs the benchmarks every store reports the same way: Load of a typical
// record (one goroutine and b.RunParallel), Save of a whole record over a
// rotating set of 1024 keys, Patch of one key plus the touch the Manager writes
// (skipped when the store is no session.Patcher), and Load of a missing key.
//
// newStore is called once per sub-benchmark and returns a fresh store; it takes a
// testing.TB so that a store's tests can share one constructor between Run and
// Bench:
//
//	func newStore(tb testing.TB) session.Store { ... tb.Cleanup(...) ... }
//
//	func TestConformance(t *testing.T) {
//		sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
//	}
//	func BenchmarkStore(b *testing.B) { sessiontest.Bench(b, newStore) }
func Bench(b *testing.B, newStore func(tb testing.TB) session.Store) {
	b.Run("Load", func(b *testing.B) {
		s := newStore(b)
		key := newKey()
		mustSave(b, s, key, benchRecord(time.Now()))
		ctx := b.Context()
		b.ReportAllocs()
		for b.Loop() {
			if _, found, err := s.Load(ctx, key); err != nil || !found {
				b.Fatalf("Load: got found %v, error %v; want found true, nil", found, err)
			}
		}
	})
	b.Run("LoadParallel", func(b *testing.B) {
		s := newStore(b)
		keys := benchKeys(64)
		rec := benchRecord(time.Now())
		for _, k := range keys {
			mustSave(b, s, k, rec)
		}
		ctx := b.Context()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, found, err := s.Load(ctx, keys[i%len(keys)]); err != nil || !found {
					b.Errorf("Load: got found %v, error %v; want found true, nil", found, err)
					return
				}
				i++
			}
		})
	})
	b.Run("LoadMissing", func(b *testing.B) {
		s := newStore(b)
		key := newKey()
		ctx := b.Context()
		b.ReportAllocs()
		for b.Loop() {
			if _, found, err := s.Load(ctx, key); err != nil || found {
				b.Fatalf("Load: got found %v, error %v; want found false, nil", found, err)
			}
		}
	})
	b.Run("Save", func(b *testing.B) {
		s := newStore(b)
		keys := benchKeys(1024)
		rec := benchRecord(time.Now())
		ctx := b.Context()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := s.Save(ctx, keys[i%len(keys)], rec); err != nil {
				b.Fatalf("Save: got error %v, want nil", err)
			}
			i++
		}
	})
	b.Run("Patch", func(b *testing.B) {
		s := newStore(b)
		p, ok := s.(session.Patcher)
		if !ok {
			b.Skipf("store %T does not implement session.Patcher", s)
		}
		key := newKey()
		rec := benchRecord(time.Now())
		mustSave(b, s, key, rec)
		patch := session.Patch{Meta: rec.Meta, Set: vals("last_seen", `"/dashboard"`)}
		ctx := b.Context()
		b.ReportAllocs()
		for b.Loop() {
			patch.Meta.Touched = patch.Meta.Touched.Add(time.Millisecond)
			if applied, err := p.Patch(ctx, key, patch); err != nil || !applied {
				b.Fatalf("Patch: got applied %v, error %v; want true, nil", applied, err)
			}
		}
	})
}

// benchRecord is a typical logged-in session: a user id, a CSRF token, a few
// preferences and a small cart, about 300 bytes of JSON.
func benchRecord(now time.Time) session.Record {
	m := liveMeta(now)
	m.User = "user-4711"
	return session.Record{Meta: m, Values: map[string]json.RawMessage{
		"user_id":   json.RawMessage(`4711`),
		"csrf":      json.RawMessage(`"n0Ttvyg0W3oYk4VQbcAi6xQpLMHJ3S2gZ8hGk5fX2nE"`),
		"prefs":     json.RawMessage(`{"theme":"dark","lang":"de-CH","tz":"Europe/Zurich"}`),
		"cart":      json.RawMessage(`[{"sku":"A-100","qty":2},{"sku":"B-7","qty":1}]`),
		"last_seen": json.RawMessage(`"/orders/12345"`),
	}}
}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = newKey()
	}
	return keys
}
