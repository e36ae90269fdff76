// Package pgstore keeps sesame sessions in a PostgreSQL table, through a pgx v5
// pool the application already has.
//
// One row per session: the store key (the SHA-256 of the session ID, never the ID),
// the values as one jsonb object, the Meta in columns, and Meta.Expires() in an
// indexed column so that every read is one indexed query that ignores expired rows.
// A save is a patch applied in one UPDATE statement:
//
//	UPDATE sesame_sessions SET data = (data - $deleted::text[]) || $set::jsonb, ...
//	WHERE key = $1 AND (expires IS NULL OR expires > now())
//
// The row lock serialises concurrent patches of one session and each re-reads the
// row, so two requests that write different keys both survive; a patch of a
// destroyed or expired session changes nothing. New sessions are written with
// INSERT ... ON CONFLICT (key) DO UPDATE. Move (session.Regenerate) is one
// transaction that locks the old row (SELECT ... FOR UPDATE), copies it with the
// patch under the new key and leaves the old row as a forward (moved_to) for
// ForwardTTL, which Delete follows (see Store.Move).
//
// The table is created by (*Store).Migrate, or by a DBA with this SQL (SchemaSQL;
// (*Store).SchemaSQL gives it for another table or schema):
//
//	CREATE TABLE IF NOT EXISTS "sesame_sessions" (
//		key       text        PRIMARY KEY,
//		data      jsonb       NOT NULL DEFAULT '{}',
//		raw       jsonb       NOT NULL DEFAULT '{}',
//		created   timestamptz NOT NULL,
//		touched   timestamptz NOT NULL,
//		idle_ns   bigint      NOT NULL DEFAULT 0,
//		absolute  timestamptz NULL,
//		expires   timestamptz NULL,
//		user_name text        NULL,
//		moved_to  text        NULL
//	);
//	CREATE INDEX IF NOT EXISTS "sesame_sessions_expires_idx" ON "sesame_sessions" (expires) WHERE expires IS NOT NULL;
//	CREATE INDEX IF NOT EXISTS "sesame_sessions_user_name_idx" ON "sesame_sessions" (user_name) WHERE user_name IS NOT NULL;
//	-- Tables created by earlier versions get the newer columns here; a no-op otherwise.
//	ALTER TABLE "sesame_sessions" ADD COLUMN IF NOT EXISTS raw jsonb NOT NULL DEFAULT '{}';
//	ALTER TABLE "sesame_sessions" ADD COLUMN IF NOT EXISTS moved_to text NULL;
//
// Expired rows are never returned; a background goroutine deletes them every
// Config.CleanupInterval (default 5 minutes). Instances sharing the table take
// turns: each round takes a transaction-scoped advisory lock derived from the table
// name (pg_try_advisory_xact_lock) and is skipped when another instance holds it.
//
// Values are jsonb documents in the column data, where SQL can read them
// (data->'cart'). jsonb cannot hold the escape \u0000 nor an unpaired surrogate
// escape, nor a number beyond numeric's range (1e170000); the few values with one
// (or with an exponent of four digits or more) are kept instead as their JSON text, in jsonb
// strings in the column raw, and come back unchanged. A patch moves a key between
// the two columns as its value requires.
//
// Limits: PostgreSQL keeps timestamps to the microsecond; jsonb reorders object
// keys, keeps the last of duplicate keys, and rewrites string escapes and some
// numbers (1e2 becomes 100) while keeping the same JSON document.
package pgstore
