package pgstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// A pool from a DSN works against the machine's PostgreSQL.
func TestPoolFromDSN(t *testing.T) {
	newPool(t) // fails with a clear message when PostgreSQL is not running
	for _, dsn := range []string{
		postgresURL() + "&pool_max_conns=3",
		"host=127.0.0.1 port=5432 user=postgres dbname=postgres sslmode=disable",
	} {
		t.Run(dsn, func(t *testing.T) {
			pool, err := pgstore.PoolFromDSN(t.Context(), dsn)
			if err != nil {
				t.Fatalf("got %v, want a pool", err)
			}
			t.Cleanup(pool.Close)
			s := newStore(t, pgstore.Config{Pool: pool})
			key := newKey()
			rec := session.Record{Meta: session.Meta{Created: time.Now(), Touched: time.Now(), Idle: time.Hour, User: "alice"}}
			if err := s.Save(t.Context(), key, rec); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := s.Load(t.Context(), key); !ok || err != nil {
				t.Fatalf("Load: got (%v, %v), want the saved record", ok, err)
			}
		})
	}
}

func TestPoolFromDSNErrors(t *testing.T) {
	for _, tc := range []struct{ dsn, has string }{
		{"postgres://app:hunter2@db:notaport/x", "cannot parse"},
		{"postgres://app:hunter2@db/x?pool_max_conns=zero", "pool_max_conns"},
		{"host=db password=hunter2 port=abc", "cannot parse"},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			pool, err := pgstore.PoolFromDSN(t.Context(), tc.dsn)
			if err == nil {
				pool.Close()
				t.Fatal("got no error, want one")
			}
			var p *problem.Problem
			if !errors.As(err, &p) || p.Rule != problem.InvalidStoreConfig || !strings.Contains(err.Error(), tc.has) {
				t.Errorf("got %v, want a %s problem containing %q", err, problem.InvalidStoreConfig, tc.has)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("got %q, which repeats the password", err)
			}
		})
	}
}

// FuzzPoolFromDSN: whatever the DSN, no panic, and an error never repeats the
// password.
func FuzzPoolFromDSN(f *testing.F) {
	for _, s := range []string{"db:5432/x", "db:x/y", "db/x?pool_max_conns=0", "db/x?sslmode=nope", "[::1/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rest string) {
		pool, err := pgstore.PoolFromDSN(t.Context(), "postgres://app:SECRETPW@"+rest)
		if err != nil {
			if strings.Contains(err.Error(), "SECRETPW") {
				t.Fatalf("error %q repeats the password", err)
			}
			return
		}
		pool.Close()
	})
}
