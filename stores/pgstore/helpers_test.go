package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/stores/pgstore"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresURL is the server the tests use: SESAME_POSTGRES_URL, or the loopback one.
func postgresURL() string {
	if u := os.Getenv("SESAME_POSTGRES_URL"); u != "" {
		return u
	}
	return defaultURL
}

// newPool connects to the test server, or fails saying what to start.
func newPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, postgresURL())
	if err != nil {
		tb.Fatalf("pgstore tests: bad SESAME_POSTGRES_URL %q: %v", postgresURL(), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		tb.Fatalf("pgstore tests need PostgreSQL at %s with trust auth (start it with `make services`, "+
			"or set SESAME_POSTGRES_URL): %v", postgresURL(), err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// newSchema creates a schema of its own for one test and drops it afterwards.
func newSchema(tb testing.TB, pool *pgxpool.Pool) string {
	tb.Helper()
	name := "sesame_test_" + hex.EncodeToString(randomBytes(6))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		tb.Fatalf("CREATE SCHEMA %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("DROP SCHEMA %s: %v", name, err)
		}
	})
	return name
}

// newStore returns a migrated store on a fresh schema, without a cleanup goroutine
// unless cfg asks for one.
func newStore(tb testing.TB, cfg pgstore.Config) *pgstore.Store {
	tb.Helper()
	if cfg.Pool == nil {
		cfg.Pool = newPool(tb)
	}
	if cfg.Schema == "" {
		cfg.Schema = newSchema(tb, cfg.Pool)
	}
	if cfg.CleanupInterval == 0 {
		cfg.CleanupInterval = -1
	}
	s, err := pgstore.New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return s
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// newKey returns a store key shaped like the Manager's: 43 base64url characters.
func newKey() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

// countRows counts every row of the store's table, live or expired.
func countRows(tb testing.TB, pool *pgxpool.Pool, s *pgstore.Store) int {
	tb.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+s.Table()).Scan(&n); err != nil {
		tb.Fatalf("counting rows: %v", err)
	}
	return n
}
