package pgstore

// queries holds the store's SQL, written once for its table.
type queries struct {
	load, save, patch, delete, user, rng, cleanup string
}

// live is the condition every read applies: a row past its deadline is gone, even
// before the cleanup deletes it. now() is the database's clock, the same one the
// cleanup uses, so instances with skewed clocks agree on what expired.
const live = `(expires IS NULL OR expires > now())`

const columns = `key, data, raw, created, touched, idle_ns, absolute, user_name`

func newQueries(table string) queries {
	return queries{
		load: `SELECT ` + columns + ` FROM ` + table + ` WHERE key = $1 AND ` + live,

		save: `INSERT INTO ` + table + ` (key, data, raw, created, touched, idle_ns, absolute, expires, user_name)
VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7, $8, $9)
ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, raw = EXCLUDED.raw, created = EXCLUDED.created,
	touched = EXCLUDED.touched, idle_ns = EXCLUDED.idle_ns, absolute = EXCLUDED.absolute,
	expires = EXCLUDED.expires, user_name = EXCLUDED.user_name`,

		// One statement: the row lock serialises concurrent patches of a session,
		// and under READ COMMITTED a waiting UPDATE re-reads the row its
		// predecessor committed before it applies its own change, so patches of
		// different keys all survive. The WHERE clause makes a patch of a
		// destroyed or expired session change nothing (never a resurrection).
		// $2 and $4 name the keys deleted plus those set in the other column.
		patch: `UPDATE ` + table + ` SET data = (data - $2::text[]) || $3::jsonb,
	raw = (raw - $4::text[]) || $5::jsonb,
	created = $6, touched = $7, idle_ns = $8, absolute = $9, expires = $10, user_name = $11
WHERE key = $1 AND ` + live,

		delete: `DELETE FROM ` + table + ` WHERE key = $1`,

		user: `SELECT ` + columns + ` FROM ` + table + ` WHERE user_name = $1 AND ` + live + ` ORDER BY created, key`,

		// Keyset pagination: each page is a short query, and no connection stays
		// busy while the caller's function runs (it may use the store itself).
		rng: `SELECT ` + columns + ` FROM ` + table + ` WHERE key > $1 AND ` + live + ` ORDER BY key LIMIT $2`,

		cleanup: `DELETE FROM ` + table + ` WHERE expires <= now()`,
	}
}
