package pgstore

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// SchemaSQL is the SQL Migrate runs for the default table, for DBAs who create
// tables themselves. For another table or schema, (*Store).SchemaSQL gives the same
// statements with its names.
//
// key is the store key (the base64url SHA-256 of the session ID, never the ID
// itself); data holds the session values as one jsonb object, except the rare
// values jsonb cannot hold (with the escape \u0000), which raw keeps as JSON text in
// jsonb strings; moved_to is set only on the forward a Regenerate leaves under
// the old key for ForwardTTL (see Move); expires is
// Meta.Expires(), NULL for a session without deadline, kept in a column so that
// Load, the user index and the cleanup find live rows with an index.
const SchemaSQL = `CREATE TABLE IF NOT EXISTS "sesame_sessions" (
	key       text        PRIMARY KEY,
	data      jsonb       NOT NULL DEFAULT '{}',
	raw       jsonb       NOT NULL DEFAULT '{}',
	created   timestamptz NOT NULL,
	touched   timestamptz NOT NULL,
	idle_ns   bigint      NOT NULL DEFAULT 0,
	absolute  timestamptz NULL,
	expires   timestamptz NULL,
	user_name text        NULL,
	moved_to  text        NULL
);
CREATE INDEX IF NOT EXISTS "sesame_sessions_expires_idx" ON "sesame_sessions" (expires) WHERE expires IS NOT NULL;
CREATE INDEX IF NOT EXISTS "sesame_sessions_user_name_idx" ON "sesame_sessions" (user_name) WHERE user_name IS NOT NULL;
-- Tables created by earlier versions get the newer columns here; a no-op otherwise.
ALTER TABLE "sesame_sessions" ADD COLUMN IF NOT EXISTS raw jsonb NOT NULL DEFAULT '{}';
ALTER TABLE "sesame_sessions" ADD COLUMN IF NOT EXISTS moved_to text NULL;
`

// schemaTemplate is SchemaSQL with the names left open.
const schemaTemplate = `CREATE TABLE IF NOT EXISTS $TABLE (
	key       text        PRIMARY KEY,
	data      jsonb       NOT NULL DEFAULT '{}',
	raw       jsonb       NOT NULL DEFAULT '{}',
	created   timestamptz NOT NULL,
	touched   timestamptz NOT NULL,
	idle_ns   bigint      NOT NULL DEFAULT 0,
	absolute  timestamptz NULL,
	expires   timestamptz NULL,
	user_name text        NULL,
	moved_to  text        NULL
);
CREATE INDEX IF NOT EXISTS $EXPIRES_IDX ON $TABLE (expires) WHERE expires IS NOT NULL;
CREATE INDEX IF NOT EXISTS $USER_IDX ON $TABLE (user_name) WHERE user_name IS NOT NULL;
-- Tables created by earlier versions get the newer columns here; a no-op otherwise.
ALTER TABLE $TABLE ADD COLUMN IF NOT EXISTS raw jsonb NOT NULL DEFAULT '{}';
ALTER TABLE $TABLE ADD COLUMN IF NOT EXISTS moved_to text NULL;
`

// SchemaSQL returns the statements Migrate runs: SchemaSQL with this store's table
// and schema.
func (s *Store) SchemaSQL() string {
	// Index names are never schema-qualified: an index lives in its table's schema.
	return strings.NewReplacer(
		"$TABLE", s.table,
		"$EXPIRES_IDX", pgx.Identifier{s.cfg.Table + "_expires_idx"}.Sanitize(),
		"$USER_IDX", pgx.Identifier{s.cfg.Table + "_user_name_idx"}.Sanitize(),
	).Replace(schemaTemplate)
}

// Migrate creates the store's table and indexes if they do not exist, and brings a
// table created by an earlier version of this package up to date. It is
// idempotent, and safe to call from every instance at start-up: an advisory lock
// serialises concurrent calls (CREATE ... IF NOT EXISTS alone can fail when two
// sessions race on the catalogue). The schema must exist.
func (s *Store) Migrate(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return s.fail(ctx, "migrate", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it is a no-op
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, s.migrateKey); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	// Several statements in one Exec without arguments go through the simple
	// protocol, in this transaction.
	if _, err := tx.Exec(ctx, s.SchemaSQL()); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	return nil
}
