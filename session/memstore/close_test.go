package memstore_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// Every method fails with ErrClosed after Close, and Close may be called again.
func TestClosed(t *testing.T) {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	ctx := context.Background()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "alice"}
	save(t, s, "k", meta)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: got error %v, want nil", err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"Load", func() error { _, _, err := s.Load(ctx, "k"); return err }},
		{"Save", func() error { return s.Save(ctx, "k", session.Record{Meta: meta}) }},
		{"Delete", func() error { return s.Delete(ctx, "k") }},
		{"Patch", func() error { _, err := s.Patch(ctx, "k", session.Patch{Meta: meta}); return err }},
		{"UserSessions", func() error { _, err := s.UserSessions(ctx, "alice"); return err }},
		{"Range", func() error { return s.Range(ctx, func(string, session.Record) error { return nil }) }},
		{"Ping", func() error { return s.Ping(ctx) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, memstore.ErrClosed) {
				t.Errorf("%s after Close: got error %v, want ErrClosed", tt.name, err)
			}
		})
	}
	if got := s.Stats().Records; got != 0 {
		t.Errorf("Records after Close: got %d, want 0 (Close drops them)", got)
	}
}

// waitGoroutines polls until the number of goroutines is at most want, and
// fails the test if it is not within a few seconds.
func waitGoroutines(t *testing.T, want int, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		got := runtime.NumGoroutine()
		if got <= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines %s: got %d, want at most %d", what, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Close stops the sweeper goroutine.
func TestCloseStopsSweeper(t *testing.T) {
	var stores []*memstore.Store
	for range 10 {
		s, err := memstore.New(memstore.Config{SweepInterval: time.Second})
		if err != nil {
			t.Fatalf("New: got error %v, want nil", err)
		}
		stores = append(stores, s)
	}
	// Counted with the stores open, so that goroutines of earlier tests that
	// are still exiting cannot make the test pass or fail: closing must take
	// away (at least) the 10 sweepers.
	open := runtime.NumGoroutine()
	for _, s := range stores {
		s.Close()
	}
	waitGoroutines(t, open-10, "after closing 10 stores")
}

// A store that is dropped without Close does not keep its sweeper running for
// ever: once the store is collected, the sweeper stops.
func TestDroppedStoreStopsSweeper(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		for range 10 {
			s, err := memstore.New(memstore.Config{})
			if err != nil {
				t.Fatalf("New: got error %v, want nil", err)
			}
			save(t, s, "k", session.Meta{Created: time.Now(), Touched: time.Now()})
		}
	}()
	waitGoroutines(t, before, "after dropping 10 stores without Close")
}
