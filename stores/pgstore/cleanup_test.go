package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// saveExpired saves n records whose deadline has passed and returns their keys.
func saveExpired(t *testing.T, s *pgstore.Store, n int) []string {
	t.Helper()
	old := time.Now().Add(-2 * time.Hour)
	keys := make([]string, n)
	for i := range keys {
		keys[i] = newKey()
		rec := session.Record{Meta: session.Meta{Created: old, Touched: old, Idle: time.Hour}}
		if err := s.Save(context.Background(), keys[i], rec); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

type round struct {
	name    string
	deleted int64
	ran     bool
	err     error
}

// TestCleanupTakesTurns runs a cleanup round on two stores sharing one table at the
// same moment. A row lock held by the test keeps whichever round got the advisory
// lock busy; the other must skip its round at once, and the first then deletes
// every expired row.
func TestCleanupTakesTurns(t *testing.T) {
	pool := newPool(t)
	a := newStore(t, pgstore.Config{Pool: pool})
	b, err := pgstore.New(pgstore.Config{Pool: pool, Schema: schemaOf(t, a), CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if a.CleanupLockKey() != b.CleanupLockKey() {
		t.Fatalf("got lock keys %d and %d for one table, want equal", a.CleanupLockKey(), b.CleanupLockKey())
	}
	ctx := context.Background()
	expired := saveExpired(t, a, 5)
	liveKey := newKey()
	if err := a.Save(ctx, liveKey, session.Record{Meta: session.Meta{Touched: time.Now(), Idle: time.Hour}}); err != nil {
		t.Fatal(err)
	}

	hold, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback(ctx)
	if _, err := hold.Exec(ctx, `SELECT 1 FROM `+a.Table()+` WHERE key = $1 FOR UPDATE`, expired[0]); err != nil {
		t.Fatal(err)
	}

	rounds := make(chan round, 2)
	for name, s := range map[string]*pgstore.Store{"a": a, "b": b} {
		go func() {
			n, ran, err := s.Cleanup(ctx)
			rounds <- round{name, n, ran, err}
		}()
	}
	first := <-rounds
	if first.err != nil || first.ran || first.deleted != 0 {
		t.Fatalf("first round to return (store %s): got deleted=%d ran=%v err=%v, want 0 false nil (the other holds the lock)",
			first.name, first.deleted, first.ran, first.err)
	}

	// Another table's cleanup has its own lock and is not held up.
	other := newStore(t, pgstore.Config{Pool: pool, Schema: schemaOf(t, a), Table: "other_sessions"})
	saveExpired(t, other, 1)
	if n, ran, err := other.Cleanup(ctx); n != 1 || !ran || err != nil {
		t.Errorf("other table: got deleted=%d ran=%v err=%v, want 1 true nil", n, ran, err)
	}

	if err := hold.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	second := <-rounds
	if second.err != nil || !second.ran || second.deleted != int64(len(expired)) {
		t.Errorf("round holding the lock (store %s): got deleted=%d ran=%v err=%v, want %d true nil",
			second.name, second.deleted, second.ran, second.err, len(expired))
	}
	if got := countRows(t, pool, a); got != 1 {
		t.Errorf("got %d rows left, want 1 (the live one)", got)
	}
	if _, found, err := a.Load(ctx, liveKey); !found || err != nil {
		t.Errorf("live record: got found=%v err=%v, want it kept", found, err)
	}
}

// TestCleanupLoop lets the background goroutine delete expired rows, then checks
// that Close stops it: Close waits for the goroutine to return.
func TestCleanupLoop(t *testing.T) {
	pool := newPool(t)
	s := newStore(t, pgstore.Config{Pool: pool, CleanupInterval: 10 * time.Millisecond})
	saveExpired(t, s, 3)
	deadline := time.Now().Add(20 * time.Second)
	for countRows(t, pool, s) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("got %d expired rows after 20s of 10ms cleanup rounds, want 0", countRows(t, pool, s))
		}
		time.Sleep(5 * time.Millisecond) // polling for the goroutine's work, not an assertion
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: got %v, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close did not return within 20s: the cleanup goroutine did not stop")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
}

// schemaOf returns the schema part of a store's quoted table name.
func schemaOf(t *testing.T, s *pgstore.Store) string {
	t.Helper()
	var schema string
	err := newPool(t).QueryRow(context.Background(),
		`SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass`,
		s.Table()).Scan(&schema)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}
