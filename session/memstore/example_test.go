package memstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func ExampleNew() {
	store, err := memstore.New(memstore.Config{
		MaxEntries:    100_000,
		SweepInterval: 30 * time.Second,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	ctx := context.Background()
	now := time.Now()
	rec := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute},
		Values: map[string]json.RawMessage{"user_id": json.RawMessage(`42`)},
	}
	if err := store.Save(ctx, "key-from-the-manager", rec); err != nil {
		fmt.Println(err)
		return
	}
	got, found, err := store.Load(ctx, "key-from-the-manager")
	fmt.Println(found, err, string(got.Values["user_id"]))
	// Output: true <nil> 42
}

// The wrong way: every problem of the Config is reported at once, each naming its
// doctor rule.
func ExampleNew_invalid() {
	_, err := memstore.New(memstore.Config{MaxEntries: -1, SweepInterval: time.Millisecond})
	fmt.Println(err)
	var p *problem.Problem
	fmt.Println(errors.As(err, &p), p.Rule)
	// Output:
	// SES041: memstore: MaxEntries is -1; fix: set MaxEntries to a positive bound, or 0 for the default of 1,000,000
	// SES041: memstore: SweepInterval is 1ms; fix: set SweepInterval to at least 1s, or 0 for the default of 1m
	// true SES041
}

func ExampleStore_Patch() {
	store, _ := memstore.New(memstore.Config{})
	defer store.Close()
	ctx := context.Background()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour}
	store.Save(ctx, "k", session.Record{Meta: meta, Values: map[string]json.RawMessage{
		"theme": json.RawMessage(`"light"`),
		"cart":  json.RawMessage(`[1]`),
	}})

	// One request changed the theme and emptied the cart; nothing else.
	meta.Touched = now.Add(time.Minute)
	applied, err := store.Patch(ctx, "k", session.Patch{
		Meta:   meta,
		Set:    map[string]json.RawMessage{"theme": json.RawMessage(`"dark"`)},
		Delete: []string{"cart"},
	})
	rec, _, _ := store.Load(ctx, "k")
	fmt.Println(applied, err, len(rec.Values), string(rec.Values["theme"]))

	// A patch never brings back a session that is gone.
	store.Delete(ctx, "k")
	applied, err = store.Patch(ctx, "k", session.Patch{Meta: meta})
	fmt.Println(applied, err)
	// Output:
	// true <nil> 1 "dark"
	// false <nil>
}

func ExampleStore_UserSessions() {
	store, _ := memstore.New(memstore.Config{})
	defer store.Close()
	ctx := context.Background()
	now := time.Now()
	for i, user := range []string{"alice", "bob", "alice", ""} {
		meta := session.Meta{Created: now.Add(time.Duration(i) * time.Second), Touched: now, Idle: time.Hour, User: user}
		store.Save(ctx, fmt.Sprintf("key%d", i), session.Record{Meta: meta})
	}
	// "Sign out everywhere": delete every session of alice.
	entries, _ := store.UserSessions(ctx, "alice")
	for _, e := range entries {
		fmt.Println("deleting", e.Key)
		store.Delete(ctx, e.Key)
	}
	entries, _ = store.UserSessions(ctx, "alice")
	fmt.Println(len(entries))
	// Output:
	// deleting key0
	// deleting key2
	// 0
}

func ExampleStore_Range() {
	store, _ := memstore.New(memstore.Config{})
	defer store.Close()
	ctx := context.Background()
	now := time.Now()
	store.Save(ctx, "anonymous", session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: time.Hour}})
	store.Save(ctx, "carol", session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "carol"}})

	signedIn := 0
	err := store.Range(ctx, func(key string, rec session.Record) error {
		if rec.User != "" {
			signedIn++
		}
		return nil
	})
	fmt.Println(signedIn, err)
	// Output: 1 <nil>
}

func ExampleStore_Stats() {
	store, _ := memstore.New(memstore.Config{MaxEntries: 2})
	defer store.Close()
	ctx := context.Background()
	now := time.Now()
	for i := range 3 {
		// The first session ends soonest, so it makes room for the third.
		meta := session.Meta{Created: now, Touched: now, Idle: time.Duration(i+1) * time.Hour}
		store.Save(ctx, fmt.Sprint("key", i), session.Record{Meta: meta})
	}
	_, found, _ := store.Load(ctx, "key0")
	st := store.Stats()
	fmt.Println(found, st.Records, st.Evicted)
	// Output: false 2 1
}

func ExampleStore_Close() {
	store, _ := memstore.New(memstore.Config{})
	fmt.Println(store.Close(), store.Close())
	fmt.Println(store.Ping(context.Background()))
	// Output:
	// <nil> <nil>
	// memstore: store closed
}
