package redisstore_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// A Store whose Load is served from a client-side cache that Redis keeps fresh:
// opt in with Config.Cache, and Close the Store when done (it owns the cache's
// connections; the client stays the caller's).
func ExampleConfig_cache() {
	client := redis.NewClient(&redis.Options{
		Addr:                  redistest.SharedAddr(),
		ContextTimeoutEnabled: true,
	})
	defer client.Close()

	store, err := redisstore.New(redisstore.Config{
		Client: client,
		Prefix: "myapp:",
		Cache: &redisstore.CacheConfig{
			MaxEntries:   100_000,     // about 350 bytes each for a small session
			MaxStaleness: time.Second, // the bound even if an invalidation is lost
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, _, err := store.Load(ctx, "no-such-session"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("cached:", store.Caching())
	// Output: cached: true
}
