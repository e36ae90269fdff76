// Package express shares sessions with an Express application that uses
// express-session: it reads and writes its session cookie byte for byte.
//
// A Codec turns a session ID into the cookie value express-session writes
// ("s:" + ID + "." + cookie-signature, URL-encoded: s%3A…) and back, with the
// Express app's own secret strings (the first signs, every one verifies, so
// secrets rotate as in Express). NewID makes IDs of express-session's default
// shape (uid-safe uid(24)). Codec.Cookie builds the Set-Cookie line in
// express-session's attribute order from options spelled as in its `cookie`
// option, and ClearCookie the line res.clearCookie writes.
//
// In this mode the session ID is the store key, as connect-redis expects
// (sess:<ID>): the one documented exception to sesame storing only a hash of it.
package express
