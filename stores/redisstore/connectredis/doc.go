// Package connectredis is a session store that reads and writes the records
// of connect-redis, the Redis store of Express's express-session, so that a Go
// server and an Express server share one Redis and one signed-in user.
//
// Keys are connect-redis's (prefix "sess:" + the raw session ID) and values its
// JSON, mapped to sesame's session.Record by compat/express's Records: a user
// signed in with passport on the Express side is the session's User on the Go
// side and the other way round; every member of a record that the Go side does
// not change keeps its bytes and position; records Go creates are
// byte-identical to connect-redis's, TTL included. Only the Redis TTL ends a
// session: the stored cookie.expires goes stale on every connect-redis touch
// and is never checked.
//
// Writes from Go are patches applied in an optimistic transaction (WATCH, GET,
// MULTI, SET key json EX ttl, EXEC, retried on conflict), so two Go requests
// that change different keys of one session both survive. Express writes whole
// records: a change Express saves at the same time as a Go patch wins or loses
// whole, last writer wins, as between two Express requests. A request that only
// reads its session is a touch, EXPIRE key ttl, as connect-redis's.
//
// Session.Regenerate is a move (session.Mover): the record under the old ID
// moves to the new one as it is in Redis at that moment, the request's changes
// applied, only if it still exists, in one WATCH/MULTI transaction on one server
// (mark, write, finalize on a Cluster: see move.go). A forwarding mark under
// ForwardPrefix, outside Express's prefix, lets a Go logout with the old ID end
// the moved session too.
//
// Use it through compat/express.SessionConfig, with the same cookie options and
// TTL as the Express app.
package connectredis
