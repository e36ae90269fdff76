package pgstore_test

import (
	"context"
	"log"

	"github.com/sesame-go/sesame/stores/pgstore"
)

func ExamplePoolFromDSN() {
	ctx := context.Background()
	pool, err := pgstore.PoolFromDSN(ctx, "postgres://app:password@127.0.0.1:5432/app?sslmode=disable&pool_max_conns=10")
	if err != nil {
		log.Fatal(err) // never repeats the password
	}
	defer pool.Close()
	store, err := pgstore.New(pgstore.Config{Pool: pool})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	_ = store // store.Migrate(ctx) once, then sesame.Config{Store: store, …}
	// Output:
}
