// Package session keeps server-side cookie sessions for net/http.
//
// A Manager, built from a validated Config, wraps handlers (Manager.Handler) and
// gives each request a lazily loaded *Session (From). The cookie carries a random
// 256-bit ID and its HMAC-SHA256 tag, so a forged cookie is refused before any
// store call; stores only ever see SHA-256 of the ID. Values are typed and stored
// as JSON (Get, Set). A request's changes are saved as a patch of the keys it set
// and deleted, so concurrent requests writing different keys of one session both
// survive, and the save happens before the first byte of the response so the
// cookie can still be set and a store failure can still be answered with 503.
// A write of a session the request never read (Set or Delete with no Get before
// it) loads nothing when the store implements Applier (memstore and redisstore
// do): the change, the liveness check and the idle bookkeeping are one store
// call, one round trip on Redis.
//
// Sessions end after an idle timeout and an absolute timeout (OWASP Session
// Management Cheat Sheet), both overridable per session ("remember me"); idle
// bookkeeping writes to the store at most once per TouchInterval. Regenerate
// (at sign-in), Destroy (at sign-out) and a user index ("list my sessions",
// "sign out everywhere") complete the set.
//
// New reports every problem with a Config at once, each a *problem.Problem with
// its rule id, and never logs: what only warns is returned by Manager.Warnings.
// The package knows nothing of proxies: used alone, a Manager takes the scheme
// and host from the connection (r.TLS, r.Host); behind a proxy, Config.IsHTTPS
// and Config.Host take them from the proxy stage (proxy.IsHTTPS, proxy.Host),
// which is what the sesame Stack sets.
package session
