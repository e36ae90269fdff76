package pgstore

// queries holds the store's SQL, written once for its table.
type queries struct {
	load, save, patch, delete, user, rng, cleanup string
	moveLock, moveInsert, moveForward             string
}

// live is the condition every read applies: a row past its deadline is gone, even
// before the cleanup deletes it. now() is the database's clock, the same one the
// cleanup uses, so instances with skewed clocks agree on what expired.
const live = `(expires IS NULL OR expires > now())`

// liveSession is the condition of a row that holds a session: live and not a
// forward (the old key of a moved session, see Move).
const liveSession = `moved_to IS NULL AND ` + live

const columns = `key, data, raw, created, touched, idle_ns, absolute, user_name`

func newQueries(table string) queries {
	return queries{
		load: `SELECT ` + columns + ` FROM ` + table + ` WHERE key = $1 AND ` + liveSession,

		save: `INSERT INTO ` + table + ` (key, data, raw, created, touched, idle_ns, absolute, expires, user_name)
VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7, $8, $9)
ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, raw = EXCLUDED.raw, created = EXCLUDED.created,
	touched = EXCLUDED.touched, idle_ns = EXCLUDED.idle_ns, absolute = EXCLUDED.absolute,
	expires = EXCLUDED.expires, user_name = EXCLUDED.user_name, moved_to = NULL`,

		// One statement: the row lock serialises concurrent patches of a session,
		// and under READ COMMITTED a waiting UPDATE re-reads the row its
		// predecessor committed before it applies its own change, so patches of
		// different keys all survive. The WHERE clause makes a patch of a
		// destroyed or expired session change nothing (never a resurrection).
		// $2 and $4 name the keys deleted plus those set in the other column.
		patch: `UPDATE ` + table + ` SET data = (data - $2::text[]) || $3::jsonb,
	raw = (raw - $4::text[]) || $5::jsonb,
	created = $6, touched = $7, idle_ns = $8, absolute = $9, expires = $10, user_name = $11
WHERE key = $1 AND ` + liveSession,

		// RETURNING moved_to: a forward's Delete goes on to the session it
		// points to (see Move). A Delete that waited for a Move's row lock
		// re-reads the row, so it sees the forward the Move left.
		delete: `DELETE FROM ` + table + ` WHERE key = $1 RETURNING moved_to`,

		user: `SELECT ` + columns + ` FROM ` + table + ` WHERE user_name = $1 AND ` + liveSession + ` ORDER BY created, key`,

		// Keyset pagination: each page is a short query, and no connection stays
		// busy while the caller's function runs (it may use the store itself).
		rng: `SELECT ` + columns + ` FROM ` + table + ` WHERE key > $1 AND ` + liveSession + ` ORDER BY key LIMIT $2`,

		cleanup: `DELETE FROM ` + table + ` WHERE expires <= now()`,

		// Move, in one transaction: lock the old row (only a live session),
		// copy it with the patch applied under the new key, and turn the old
		// row into a forward that expires after $3 milliseconds.
		moveLock: `SELECT 1 FROM ` + table + ` WHERE key = $1 AND ` + liveSession + ` FOR UPDATE`,
		moveInsert: `INSERT INTO ` + table + ` (key, data, raw, created, touched, idle_ns, absolute, expires, user_name)
SELECT $2, (data - $3::text[]) || $4::jsonb, (raw - $5::text[]) || $6::jsonb, $7, $8, $9, $10, $11, $12
FROM ` + table + ` WHERE key = $1
ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, raw = EXCLUDED.raw, created = EXCLUDED.created,
	touched = EXCLUDED.touched, idle_ns = EXCLUDED.idle_ns, absolute = EXCLUDED.absolute,
	expires = EXCLUDED.expires, user_name = EXCLUDED.user_name, moved_to = NULL`,
		moveForward: `UPDATE ` + table + ` SET moved_to = $2, data = '{}', raw = '{}', idle_ns = 0, absolute = NULL,
	user_name = NULL, expires = now() + $3 * interval '1 millisecond'
WHERE key = $1`,
	}
}
