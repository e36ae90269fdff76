// Package mongostore keeps sesame sessions in a MongoDB collection, through the
// official driver (go.mongodb.org/mongo-driver/v2) and a client the application
// already has.
//
// One document per session, keyed by the store key (the SHA-256 of the session ID,
// never the ID). The values are a nested document a person can read in the shell,
// the Meta sits in fields beside it:
//
//	{
//	  _id: "Lz8mQY0vP6o2xq0cA1Dqk5cKc3sVbYtQ7Hn0WmR9e2E",
//	  v: { cart: { items: [ { sku: "A1", qty: 2 } ] }, theme: "dark" },
//	  created: ISODate("2026-12-03T11:00:00.123Z"), touched: ISODate("…"),
//	  expires: ISODate("…"), idleNs: NumberLong(1800000000000), user: "ada",
//	  nanos: { created: 456789, touched: 0 }
//	}
//
// JSON numbers become int32, int64 or double when those give the same decimal back
// (9007199254740993 is an int64, 3.14159 a double); the few values BSON cannot
// give back exactly (9007199254740993.5, an escaped lone UTF-16 surrogate, an
// object with a repeated member) are kept as their JSON text in the document raw.
// Member names are escaped where MongoDB gives characters a meaning: '.', '$', '%'
// and NUL become %2E, %24, %25 and %00, the empty name "%", and a white-space
// character at either end of a name its bytes in the same form (" a" is
// "%20a": FerretDB refuses such update paths). Dates keep
// milliseconds; nanos keeps the rest, so Meta comes back to the nanosecond.
//
// A save of a whole record is one replaceOne with upsert. A patch is one updateOne
// with $set and $unset on the paths of the keys it writes and removes (v.cart,
// v.theme), filtered on the record being live, so two requests that write
// different keys both survive, and a patch of a destroyed or expired session
// matches nothing and changes nothing.
//
// Regenerate's Move takes three single-document steps (mark the old document,
// insert the new one, strip the old one to a forwarding mark if still marked)
// that every other operation respects, so that a logout or "sign out everywhere"
// that runs at any point between them, or after them, wins; (*Store).Move gives
// the argument. It needs no transaction, so it works on a standalone server and
// on FerretDB.
//
// Expiry: Migrate creates a TTL index on expires (the server's TTL monitor deletes
// ended sessions once a minute) and an index on user. A server without TTL
// indexes (FerretDB v1 answers NotImplemented) gets a plain index instead, and
// Migrate says so once through Config.Logger. Either way Load never returns an
// expired session, and a background goroutine deletes expired documents every
// Config.CleanupInterval (default 5 minutes; Cleanup runs one round).
//
// Timeouts: every call ends when its context does (the session Manager's
// StoreTimeout); the driver honours context deadlines, so no client option can
// make the store wait longer (rule SES040 has nothing to catch here). A failure
// is a *session.StoreError naming "mongodb", which the Manager answers with 503.
// As with any store, a write that times out while the server is alive but slow
// may still be applied later; give StoreTimeout room above the server's usual
// latency.
//
// FerretDB v1 (a MongoDB wire-protocol server) runs an update as a read followed
// by a write, with nothing between them, and answers only {_id: key} filters from
// an index; the store therefore lets the writes to one key take turns within a
// Store (keylock.go), which makes a single instance exact there, and, once
// Migrate has seen FerretDB, writes conditionally by _id after a read
// (ferretdb.go). Several instances sharing one FerretDB v1 can lose a concurrent
// write. MongoDB itself updates each document atomically.
//
// The tests run the conformance suite (session/sessiontest) against FerretDB v1
// on its SQLite backend, a process the tests build (without -race) and start,
// and, when MONGODB_URL is set, against that server too. FerretDB is a
// dependency of the tests only: a program that imports mongostore does not
// build it.
package mongostore
