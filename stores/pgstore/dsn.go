package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/problem"
)

// PoolFromDSN returns a connection pool for dsn, ready for Config.Pool: a URL
// (postgres://user:password@host:5432/db?sslmode=verify-full&pool_max_conns=10)
// or keyword/value settings (host=db user=app dbname=app), read by pgx's own
// parser (pgxpool.ParseConfig), so every setting pgx and libpq accept works,
// including the PG* environment variables for what dsn leaves out. Nothing is
// dialled here: a server that is down is found by the first query (or
// Store.Ping). The caller closes the pool after the store.
//
// Errors are *problem.Problem values (rule SES041, InvalidStoreConfig) that never
// repeat the password.
func PoolFromDSN(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgconn's parse errors print the DSN with its password masked.
		return nil, problem.NewError(problem.InvalidStoreConfig, "pgstore: "+err.Error(),
			"use postgres://user:password@host:5432/dbname?sslmode=… or host=… user=… dbname=…")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, problem.NewError(problem.InvalidStoreConfig, "pgstore: "+err.Error(),
			"check the pool settings (pool_max_conns, pool_min_conns, …) in the DSN")
	}
	return pool, nil
}
