package sessiontest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var contextRules = []rule{
	{"Cancelled", testCancelled},
}

// Every method honours its context: called with a cancelled one, it returns an
// error wrapping context.Canceled (session.Store), even when the record exists
// and the store could have answered from memory. The Manager relies on it to
// bound store calls with StoreTimeout.
func testCancelled(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	now := time.Now()
	rec := session.Record{Meta: liveMeta(now), Values: vals("a", "1")}
	rec.User = "alice"
	mustSave(t, s, key, rec)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		call func() (error, bool) // the error, and whether the store has the method
	}{
		{"Load", func() (error, bool) { _, _, err := s.Load(ctx, key); return err, true }},
		{"Save", func() (error, bool) { return s.Save(ctx, key, rec), true }},
		{"Delete", func() (error, bool) { return s.Delete(ctx, key), true }},
		{"Patch", func() (error, bool) {
			p, ok := s.(session.Patcher)
			if !ok {
				return nil, false
			}
			_, err := p.Patch(ctx, key, session.Patch{Meta: rec.Meta, Set: vals("b", "2")})
			return err, true
		}},
		{"UserSessions", func() (error, bool) {
			ix, ok := s.(session.UserIndex)
			if !ok {
				return nil, false
			}
			_, err := ix.UserSessions(ctx, "alice")
			return err, true
		}},
		{"Range", func() (error, bool) {
			it, ok := s.(session.Iterator)
			if !ok {
				return nil, false
			}
			return it.Range(ctx, func(string, session.Record) error { return nil }), true
		}},
		{"Ping", func() (error, bool) {
			p, ok := s.(session.Pinger)
			if !ok {
				return nil, false
			}
			return p.Ping(ctx), true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err, ok := tt.call()
			if !ok {
				t.Skipf("store %T has no %s method", s, tt.name)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a cancelled context: got error %v, want one wrapping context.Canceled", tt.name, err)
			}
		})
	}
	// The cancelled calls changed nothing.
	wantRecord(t, s, key, rec)
}
