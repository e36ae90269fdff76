package sesame

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/proxy"
	"github.com/sesame-go/sesame/session"
)

// Config describes a deployment: where the API is, where its front ends are, what
// stands in front of it, and where sessions live. New derives the cookie, CORS
// and CSRF policy from it and builds the stages (proxy, cors, csrf, session).
//
// It is the one configuration layer: every setting exists here once, and none is
// also set through an embedded stage configuration. What the Stack derives (the
// cookie's SameSite, Secure and Partitioned attributes, the CORS credentials, the
// CSRF trusted origins) cannot be set at all. Every field's comment states its
// default, which is what the zero value means; messages from New and from the
// running Stack name these fields.
type Config struct {
	// APIOrigin is the origin browsers use to reach the API, as they would send
	// it in an Origin header: "https://api.example.com", or
	// "http://localhost:8080" in development. Required.
	APIOrigin string

	// FrontendOrigins are the origins of the browser front ends that call the API
	// with credentials: exact origins ("https://app.example.com"), subdomain
	// patterns ("https://*.example.com"), or any-port localhost for development
	// ("http://localhost:*"). They are the CORS allowlist and the CSRF trusted
	// origins: one list, configured once. Default: none (same-origin only).
	FrontendOrigins []string

	// DangerouslyAllowInsecureOrigins accepts http: front ends other than
	// loopback in FrontendOrigins (rule SES025): anyone on the network path of
	// such a front end can inject script into it and use the user's session.
	// Default false.
	DangerouslyAllowInsecureOrigins bool

	// TrustedProxies lists the proxies whose forwarding headers are believed:
	// CIDRs, addresses, or "loopback", "linklocal", "private", "uniquelocal"
	// (see proxy.Config.Trusted for the forms). Default: none, so forwarding
	// headers are ignored.
	TrustedProxies []string
	// ProxyHops trusts exactly this many proxies in front of the server, whatever
	// their address (Express's `trust proxy = N`); exclusive with TrustedProxies.
	// Default 0: use TrustedProxies.
	ProxyHops int
	// ProxyHeader picks the forwarding headers read: proxy.XForwardedFor (the
	// default, with X-Forwarded-Proto and X-Forwarded-Host) or proxy.Forwarded
	// (RFC 7239).
	ProxyHeader proxy.Source

	// Keys sign the session cookie: the first signs, all verify, each at least 32
	// random bytes (`sesame keygen` prints one). Required unless SessionFormat
	// is set.
	Keys [][]byte

	// Store keeps the sessions. Required: session/memstore for one instance,
	// stores/redisstore, stores/pgstore or stores/boltstore otherwise.
	Store session.Store

	// IdleTimeout and AbsoluteTimeout end sessions (OWASP Session Management
	// Cheat Sheet). Defaults 30 minutes and 24 hours; negative disables one.
	IdleTimeout, AbsoluteTimeout time.Duration
	// TouchInterval throttles idle-timeout bookkeeping writes. Default: a tenth
	// of IdleTimeout, between one second and one minute.
	TouchInterval time.Duration
	// StoreTimeout bounds each store call. Default 2 seconds; negative: no bound
	// beyond the request's own context.
	StoreTimeout time.Duration

	// CookieName overrides the derived name ("__Host-sid" when the attributes
	// allow the prefix, else "sid"). A "__Host-" or "__Secure-" name needs an
	// https APIOrigin (rule SES028).
	CookieName string
	// CookieDomain makes the cookie visible to subdomains of this domain.
	// Default "": host-only, which is safer and allows the __Host- prefix.
	CookieDomain string
	// CookiePath scopes the cookie. Default "/"; another path drops the
	// __Host- prefix.
	CookiePath string
	// CookiePriority is Chromium's eviction priority. Default
	// cookie.PriorityOmit: not sent.
	CookiePriority cookie.Priority
	// BrowserSessionCookie omits Expires, so the browser forgets the cookie when
	// it closes (the timeouts still apply). Default false.
	BrowserSessionCookie bool
	// CookieReadableByScripts drops HttpOnly. Default false: HttpOnly (OWASP:
	// session IDs must not be readable by scripts).
	CookieReadableByScripts bool

	// SaveUninitialized stores a session that was never written to. Default
	// false: a session is created by its first write.
	SaveUninitialized bool
	// Rolling re-sends the cookie on every response that touched the session.
	// Default false.
	Rolling bool
	// Unset says what Session.Unset does. Default session.UnsetKeep.
	Unset session.UnsetMode
	// GenerateID makes session IDs for sesame's own format. Default: 32 bytes
	// from crypto/rand, base64url.
	GenerateID func() (string, error)
	// SessionFormat is another cookie format, such as compat/express's for
	// sharing sessions with an Express application; Keys are then optional.
	// Default nil: sesame's own, signed with Keys.
	SessionFormat session.Format
	// SessionErrorFunc answers a request whose session could not be loaded or
	// saved. Default: 503 application/problem+json naming the store (SES031).
	SessionErrorFunc func(w http.ResponseWriter, r *http.Request, err error)
	// Observer is told about sessions created, regenerated and destroyed, each
	// load's outcome, each store call and each replaced response, for metrics
	// and traces (the adapters/otel module has one on OpenTelemetry). Default
	// nil: nothing observed, at no cost.
	Observer session.Observer

	// AllowHeaders are request headers front ends may send besides
	// Content-Type, by name ("*" means nothing to a credentialed request).
	AllowHeaders []string
	// AllowMethods are the methods front ends may use. Default GET, HEAD, POST,
	// PUT, PATCH, DELETE.
	AllowMethods []string
	// ExposeHeaders are response headers front-end JavaScript may read.
	ExposeHeaders []string
	// CORSMaxAge is how long browsers may cache a preflight. Default 2 hours,
	// Chromium's cap.
	CORSMaxAge time.Duration

	// Dev sends diagnostics to the browser: why a request has no session
	// (Sesame-Why, exposed to JavaScript), and why a preflight failed.
	// Default false.
	Dev bool

	// Logger receives New's warnings (each once) and the per-request
	// diagnostics. Default slog.Default().
	Logger *slog.Logger
}
