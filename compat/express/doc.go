// Package express shares sessions with an Express application that uses
// express-session and connect-redis, so that a proxy in front can send some
// routes to Express and some to Go, with one Redis and one signed-in user.
//
// Format is express-session's cookie as a session.Format: connect.sid =
// s%3A<ID>.<cookie-signature>, signed with the Express app's own secret strings
// (the first signs, every one verifies, so secrets rotate as in Express), with
// IDs of express-session's default shape (NewID) and the raw ID as the store key.
// Records maps connect-redis's session JSON and TTL to a session.Record and back,
// byte-identical to what connect-redis writes for the records Go creates, and
// byte-preserving for the members of Express's records that Go does not change
// (passport's user becomes the session's user). SessionConfig puts the two
// together into a session.Config; stores/redisstore/connectredis is the Redis
// store that uses Records.
//
// The lower layer is also here: a Codec turns an ID into the cookie value and
// back, Codec.Cookie builds the Set-Cookie line in express-session's attribute
// order from options spelled as in its `cookie` option, and ClearCookie the line
// res.clearCookie writes.
//
// In this mode the session ID is the store key, as connect-redis expects
// (sess:<ID>): the one documented exception to sesame storing only a hash of it.
// docs/migrating-from-express.md says what else the mode trades away and how to
// leave it.
package express
