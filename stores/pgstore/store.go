package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/session"
)

// Store keeps sessions in a PostgreSQL table. It implements session.Store,
// session.Patcher, session.Mover, session.UserIndex, session.Iterator and
// session.Pinger. Its methods are safe for concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	table  string // quoted, schema-qualified: "public"."sesame_sessions"
	name   string // unquoted, for messages: public.sesame_sessions
	cfg    Config
	logger *slog.Logger
	q      queries

	cleanupKey, migrateKey int64

	stop      context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
}

var (
	_ session.Store     = (*Store)(nil)
	_ session.Patcher   = (*Store)(nil)
	_ session.UserIndex = (*Store)(nil)
	_ session.Iterator  = (*Store)(nil)
	_ session.Pinger    = (*Store)(nil)
	_ session.Mover     = (*Store)(nil)
)

// New validates cfg and returns a Store. It does not touch the database: call
// Migrate to create the table, and Ping to check that it is there. Unless
// cfg.CleanupInterval is negative, New starts the cleanup goroutine; Close stops it.
//
// Every problem of cfg is reported at once, joined, as *problem.Problem values.
func New(cfg Config) (*Store, error) {
	if cfg.Table == "" {
		cfg.Table = DefaultTable
	}
	if cfg.CleanupInterval == 0 {
		cfg.CleanupInterval = DefaultCleanupInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ident := pgx.Identifier{cfg.Table}
	name := cfg.Table
	if cfg.Schema != "" {
		ident = pgx.Identifier{cfg.Schema, cfg.Table}
		name = cfg.Schema + "." + cfg.Table
	}
	s := &Store{
		pool:       cfg.Pool,
		table:      ident.Sanitize(),
		name:       name,
		cfg:        cfg,
		logger:     cfg.Logger,
		cleanupKey: lockKey("cleanup", name),
		migrateKey: lockKey("migrate", name),
		done:       make(chan struct{}),
	}
	s.q = newQueries(s.table)
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	if cfg.CleanupInterval > 0 {
		go s.cleanupLoop(ctx, cfg.CleanupInterval)
	} else {
		close(s.done)
	}
	return s, nil
}

// Name returns "postgres", the name StoreErrors and the Manager's Explain use.
func (s *Store) Name() string { return "postgres" }

// Table returns the schema-qualified, quoted name of the store's table, as it
// appears in the store's SQL.
func (s *Store) Table() string { return s.table }

// Close stops the cleanup goroutine and waits for it to return. It does not close
// the pool, which belongs to the caller. Close is idempotent and always returns nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		<-s.done
	})
	return nil
}

// Ping checks that the database answers and that the table exists, for a readiness
// check: a store whose table was never created fails here, with the fix, rather
// than on the first request.
func (s *Store) Ping(ctx context.Context) error {
	var exists bool
	err := s.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, s.table).Scan(&exists)
	if err != nil {
		return s.fail(ctx, "ping", err)
	}
	if !exists {
		return s.fail(ctx, "ping", fmt.Errorf("table %s does not exist: call (*pgstore.Store).Migrate or run pgstore.SchemaSQL", s.name))
	}
	return nil
}

// fail wraps err as the StoreError the session Manager understands. When ctx ended,
// the error also wraps ctx.Err(), whatever shape pgx gave the interruption.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "42703") { // undefined_table, undefined_column
		err = fmt.Errorf("%w (table %s: call (*pgstore.Store).Migrate or run pgstore.SchemaSQL, which also adds the columns of newer versions)", err, s.name)
	}
	return &session.StoreError{Store: "postgres", Op: op, Err: err}
}

// lockKey derives the advisory lock key of one kind of maintenance on one table, so
// that instances sharing a table agree on it and stores of different tables do not
// block each other.
func lockKey(kind, table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("sesame/pgstore " + kind + " " + table))
	return int64(h.Sum64())
}
