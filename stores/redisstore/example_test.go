package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

func ExampleNew() {
	client := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 []string{redistest.SharedAddr()}, // several for a Cluster, plus MasterName for Sentinel
		ContextTimeoutEnabled: true,                             // required: the Manager's StoreTimeout must reach the socket
		DialTimeout:           500 * time.Millisecond,
		ReadTimeout:           500 * time.Millisecond,
		WriteTimeout:          500 * time.Millisecond,
		MaxRetries:            1,
		DialerRetries:         1,
	})
	defer client.Close()

	store, err := redisstore.New(redisstore.Config{Client: client, Prefix: "myapp:"})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	fmt.Println(store.Name(), store.Ping(ctx))
	// Output: redis <nil>
}

// The wrong way: a client left with its default options ignores context
// deadlines, so a Redis that stops answering would hold requests for seconds.
// New says so.
func ExampleNew_deadlinesIgnored() {
	client := redis.NewClient(&redis.Options{Addr: redistest.SharedAddr()})
	defer client.Close()

	_, err := redisstore.New(redisstore.Config{Client: client})
	var p *problem.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Rule, p.Fix)
	}
	// Output: SES040 set ContextTimeoutEnabled: true in the client's options
}

// Move is what Session.Regenerate calls: the session moves to a new key, and
// the old key forwards to it for a while, so that a logout or "sign out
// everywhere" that read the old key still ends the moved session.
func ExampleStore_Move() {
	client := redis.NewClient(&redis.Options{Addr: redistest.SharedAddr(), ContextTimeoutEnabled: true})
	defer client.Close()
	store, err := redisstore.New(redisstore.Config{Client: client, Prefix: "example-move-" + rand.Text()[:8] + ":"})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "ada"}
	if err := store.Save(ctx, "old-key", session.Record{Meta: meta}); err != nil {
		log.Fatal(err)
	}
	moved, err := store.Move(ctx, "old-key", "new-key", session.Patch{Meta: meta, Set: map[string]json.RawMessage{"role": json.RawMessage(`"admin"`)}})
	if err != nil {
		log.Fatal(err)
	}
	_, oldFound, _ := store.Load(ctx, "old-key")
	rec, newFound, _ := store.Load(ctx, "new-key")
	fmt.Println(moved, oldFound, newFound, string(rec.Values["role"]))

	// A late logout of the old key ends the moved session too.
	if err := store.Delete(ctx, "old-key"); err != nil {
		log.Fatal(err)
	}
	_, newFound, _ = store.Load(ctx, "new-key")
	fmt.Println(newFound)
	// Output:
	// true false true "admin"
	// false
}
