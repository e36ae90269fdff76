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
// Use it through compat/express.SessionConfig, with the same cookie options and
// TTL as the Express app.
package connectredis
