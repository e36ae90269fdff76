package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore"
)

// Open a file in the application's data directory (created by the application)
// and give the store to the session Manager; Close it on shutdown.
func Example() {
	dir, err := os.MkdirTemp("", "sesame-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := boltstore.Open(filepath.Join(dir, "sessions.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	ctx := context.Background()
	now := time.Now()
	key := "Lz8mQY0vP6o2xq0cA1Dqk5cKc3sVbYtQ7Hn0WmR9e2E" // the Manager's SHA-256 of an ID
	rec := session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute, User: "ada"}}
	if err := store.Save(ctx, key, rec); err != nil {
		log.Fatal(err)
	}
	_, found, err := store.Load(ctx, key)
	fmt.Println(found, err)
	// Output: true <nil>
}

// Two processes cannot share one file: the second Open fails after the timeout
// instead of hanging. Give each instance its own file, or use a server store.
func ExampleNew_locked() {
	dir, err := os.MkdirTemp("", "sesame-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sessions.db")

	first, err := boltstore.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer first.Close()
	_, err = boltstore.New(boltstore.Config{Path: path, Timeout: 100 * time.Millisecond})
	fmt.Println(errors.Is(err, boltstore.ErrLocked))
	// Output: true
}

// Sweep by hand when the goroutine is turned off (SweepInterval < 0).
func ExampleStore_Sweep() {
	dir, err := os.MkdirTemp("", "sesame-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := boltstore.New(boltstore.Config{Path: filepath.Join(dir, "sessions.db"), SweepInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	deleted, err := store.Sweep(context.Background())
	fmt.Println(deleted, err)
	// Output: 0 <nil>
}

// Move is what Session.Regenerate calls: one transaction moves the session to a
// new key; the old key forwards to it for ForwardTTL, so a logout that read the
// old key before the move still ends the session.
func ExampleStore_Move() {
	dir, err := os.MkdirTemp("", "sesame-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := boltstore.Open(filepath.Join(dir, "sessions.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	ctx := context.Background()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "ada"}
	if err := store.Save(ctx, "old-key", session.Record{Meta: meta}); err != nil {
		log.Fatal(err)
	}
	moved, err := store.Move(ctx, "old-key", "new-key", session.Patch{Meta: meta})
	if err != nil {
		log.Fatal(err)
	}
	_, oldFound, _ := store.Load(ctx, "old-key")
	_, newFound, _ := store.Load(ctx, "new-key")
	fmt.Println(moved, oldFound, newFound)

	if err := store.Delete(ctx, "old-key"); err != nil { // a late logout
		log.Fatal(err)
	}
	_, newFound, _ = store.Load(ctx, "new-key")
	fmt.Println(newFound)
	// Output:
	// true false true
	// false
}
