package contestant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// DefaultPostgresURL is the PostgreSQL server of sesame-pg when neither
// Options.PostgresURL nor env SESAME_POSTGRES_URL names one: the loopback
// server with trust auth that pgstore's tests use.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresURL returns the PostgreSQL server sesame-pg uses for o.
func (o Options) postgresURL() string {
	if o.PostgresURL != "" {
		return o.PostgresURL
	}
	return PostgresURL()
}

// PostgresURL is env SESAME_POSTGRES_URL, else DefaultPostgresURL: the server
// sesame-pg uses when Options.PostgresURL is empty.
func PostgresURL() string {
	if u := os.Getenv("SESAME_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// PingPostgres reports whether a PostgreSQL server answers at url within
// timeout, so that a caller can leave sesame-pg out (and say so) instead of
// failing.
func PingPostgres(url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

// pgStore builds sesame-pg's store with pgstore's defaults, in a schema of its
// own (sesame_bench_ and random hex, so that concurrent benchmark runs sharing
// one server never meet) that Close drops with everything in it.
func (s *Server) pgStore(o Options) (*pgstore.Store, error) {
	url := o.postgresURL()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("Options.PostgresURL / SESAME_POSTGRES_URL %q: %w", url, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("PostgreSQL at %s does not answer (start it, set SESAME_POSTGRES_URL, or leave sesame-pg out with Options.Only): %w", url, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "sesame_bench_" + hex.EncodeToString(b)
	if _, err := pool.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		pool.Close()
		return nil, fmt.Errorf("CREATE SCHEMA %s on %s: %w", schema, url, err)
	}
	s.closers = append(s.closers, func() error {
		defer pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := pool.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		return err
	})
	st, err := pgstore.New(pgstore.Config{Pool: pool, Schema: schema, Logger: quiet})
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, st.Close)
	if err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	s.bulk["sesame-pg"] = &pgBulk{pool: pool, st: st, table: pgx.Identifier{schema, pgstore.DefaultTable}}
	return st, nil
}

// pgBulk fills sesame-pg's table with COPY, in the layout pgstore documents
// (pgstore.SchemaSQL): one row per session, the values as one jsonb object in
// data, expires = Meta.Expires(), NULL for a zero time or an anonymous user.
type pgBulk struct {
	pool  *pgxpool.Pool
	st    *pgstore.Store
	table pgx.Identifier
}

func (b *pgBulk) write(ctx context.Context, es []session.Entry) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		m := e.Record.Meta
		data, err := json.Marshal(e.Record.Values)
		if err != nil {
			return err
		}
		if e.Record.Values == nil {
			data = []byte("{}")
		}
		rows[i] = []any{e.Key, string(data), m.Created, m.Touched, int64(m.Idle), orNull(m.Absolute), orNull(m.Expires()), userOrNull(m.User)}
	}
	_, err := b.pool.CopyFrom(ctx, b.table,
		[]string{"key", "data", "created", "touched", "idle_ns", "absolute", "expires", "user_name"},
		pgx.CopyFromRows(rows))
	return err
}

// done leaves the table as a long-running one would be after autovacuum:
// visibility map set, statistics current.
func (b *pgBulk) done(ctx context.Context) error {
	_, err := b.pool.Exec(ctx, "VACUUM ANALYZE "+b.table.Sanitize())
	return err
}

func (b *pgBulk) size(ctx context.Context) (int64, error) {
	var n int64
	err := b.pool.QueryRow(ctx, "SELECT pg_total_relation_size($1::regclass)", b.table.Sanitize()).Scan(&n)
	return n, err
}

func (b *pgBulk) load(ctx context.Context, key string) (session.Record, bool, error) {
	return b.st.Load(ctx, key)
}

func orNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func userOrNull(u string) any {
	if u == "" {
		return nil
	}
	return u
}
