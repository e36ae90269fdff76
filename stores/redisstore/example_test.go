package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
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
