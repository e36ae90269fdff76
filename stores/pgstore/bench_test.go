package pgstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

func benchRecord() session.Record {
	now := time.Now()
	return session.Record{
		Meta: session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute, User: "ada@example.com"},
		Values: map[string]json.RawMessage{
			"user":  []byte(`{"id":42,"name":"Ada Lovelace","roles":["admin","dev"]}`),
			"csrf":  []byte(`"b2f1c0d7e3a94c58a1f0"`),
			"theme": []byte(`"dark"`),
			"cart":  []byte(`[{"sku":"A1","qty":2},{"sku":"B7","qty":1}]`),
		},
	}
}

func BenchmarkLoad(b *testing.B) {
	s := newStore(b, pgstore.Config{})
	ctx := context.Background()
	key := newKey()
	if err := s.Save(ctx, key, benchRecord()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, found, err := s.Load(ctx, key); !found || err != nil {
			b.Fatal(found, err)
		}
	}
}

func BenchmarkSave(b *testing.B) {
	s := newStore(b, pgstore.Config{})
	ctx := context.Background()
	key := newKey()
	rec := benchRecord()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Save(ctx, key, rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPatch(b *testing.B) {
	s := newStore(b, pgstore.Config{})
	ctx := context.Background()
	key := newKey()
	rec := benchRecord()
	if err := s.Save(ctx, key, rec); err != nil {
		b.Fatal(err)
	}
	p := session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{"theme": []byte(`"light"`)}}
	b.ReportAllocs()
	for b.Loop() {
		if applied, err := s.Patch(ctx, key, p); !applied || err != nil {
			b.Fatal(applied, err)
		}
	}
}
