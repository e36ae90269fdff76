package pgstore_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// A store on the application's pool: create the table once at start-up with
// Migrate (safe from every instance at once), then hand the store to the session
// Manager.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, postgresURL())
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	table := "example_" + hex.EncodeToString(randomBytes(4)) // usually just left out
	store, err := pgstore.New(pgstore.Config{Pool: pool, Table: table})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close() // stops the cleanup goroutine; the pool stays open
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	defer pool.Exec(ctx, `DROP TABLE `+store.Table()) // only for this example

	now := time.Now()
	key := "Lz8mQY0vP6o2xq0cA1Dqk5cKc3sVbYtQ7Hn0WmR9e2E" // the Manager's SHA-256 of an ID
	rec := session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute, User: "ada"}}
	if err := store.Save(ctx, key, rec); err != nil {
		log.Fatal(err)
	}
	sessions, err := store.UserSessions(ctx, "ada")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sessions), "session for ada")
	// Output: 1 session for ada
}

// Without a pool, or with a table name PostgreSQL would truncate, New reports every
// problem at once.
func ExampleNew_wrong() {
	_, err := pgstore.New(pgstore.Config{Table: "a_table_name_far_too_long_for_its_index_names_to_fit"})
	fmt.Println(err)
	// Output:
	// SES041: pgstore: Config.Pool is nil; fix: create a pool with pgxpool.New(ctx, url) and pass it in Config.Pool
	// SES041: pgstore: Config.Table "a_table_name_far_too_long_for_its_index_names_to_fit" is 52 bytes long, longer than 48; fix: choose a shorter name
}

// A DBA who creates tables by hand runs the same SQL Migrate would.
func ExampleStore_SchemaSQL() {
	store, err := pgstore.New(pgstore.Config{Pool: &pgxpool.Pool{}, Schema: "auth", Table: "sessions", CleanupInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	fmt.Print(store.SchemaSQL())
	// Output:
	// CREATE TABLE IF NOT EXISTS "auth"."sessions" (
	// 	key       text        PRIMARY KEY,
	// 	data      jsonb       NOT NULL DEFAULT '{}',
	// 	raw       jsonb       NOT NULL DEFAULT '{}',
	// 	created   timestamptz NOT NULL,
	// 	touched   timestamptz NOT NULL,
	// 	idle_ns   bigint      NOT NULL DEFAULT 0,
	// 	absolute  timestamptz NULL,
	// 	expires   timestamptz NULL,
	// 	user_name text        NULL,
	// 	moved_to  text        NULL
	// );
	// CREATE INDEX IF NOT EXISTS "sessions_expires_idx" ON "auth"."sessions" (expires) WHERE expires IS NOT NULL;
	// CREATE INDEX IF NOT EXISTS "sessions_user_name_idx" ON "auth"."sessions" (user_name) WHERE user_name IS NOT NULL;
	// -- Tables created by earlier versions get the newer columns here; a no-op otherwise.
	// ALTER TABLE "auth"."sessions" ADD COLUMN IF NOT EXISTS raw jsonb NOT NULL DEFAULT '{}';
	// ALTER TABLE "auth"."sessions" ADD COLUMN IF NOT EXISTS moved_to text NULL;
}

// Cleanup runs one round by hand, for a cron job; with CleanupInterval < 0 no
// goroutine runs it.
func ExampleStore_Cleanup() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, postgresURL())
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	table := "cron_" + hex.EncodeToString(randomBytes(4))
	store, err := pgstore.New(pgstore.Config{Pool: pool, Table: table, CleanupInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	defer pool.Exec(ctx, `DROP TABLE `+store.Table())
	deleted, ran, err := store.Cleanup(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(deleted, ran)
	// Output: 0 true
}

// Move is what Session.Regenerate calls: one transaction moves the session to a
// new key; the old row forwards to it for ForwardTTL, so a logout that read the
// old key before the move still ends the session.
func ExampleStore_Move() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, postgresURL())
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := pgstore.New(pgstore.Config{Pool: pool, Table: "example_" + hex.EncodeToString(randomBytes(4))})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	defer pool.Exec(ctx, `DROP TABLE `+store.Table()) // only for this example

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

// A value name PostgreSQL cannot hold (a NUL byte, or not UTF-8) is refused
// before any query, with an error that names it. The session Manager refuses
// such names already in Set, with session.ErrInvalidKey, which this error
// wraps too.
func ExampleErrName() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, postgresURL())
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store, err := pgstore.New(pgstore.Config{Pool: pool, CleanupInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	err = store.Save(ctx, "some-key", session.Record{
		Meta:   session.Meta{Created: time.Now(), Touched: time.Now()},
		Values: map[string]json.RawMessage{"a\x00b": json.RawMessage(`1`)},
	})
	fmt.Println(errors.Is(err, pgstore.ErrName), errors.Is(err, session.ErrInvalidKey))
	// Output: true true
}
