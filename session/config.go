package session

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
)

// Config describes a Manager. New copies it; later changes have no effect. Every
// field's comment states its default, which is what the zero value means.
type Config struct {
	// Store keeps the sessions. Required. A Store that also implements Patcher
	// gets patches (concurrent requests writing different keys both survive);
	// UserIndex enables UserSessions and DestroyUser; Pinger enables Ready.
	Store Store

	// Keys signs and verifies the session cookie: the first key signs, every key
	// verifies. Required unless Format is set.
	Keys *cookie.Keyring

	// Format encodes session IDs in the cookie and in store keys. Default nil:
	// sesame's own format, signed with Keys. compat/express provides
	// express-session's.
	Format Format

	// Cookie describes the session cookie.
	Cookie CookieConfig

	// IdleTimeout ends a session that has seen no request for this long.
	// Default 30 minutes; negative disables it. OWASP Session Management Cheat
	// Sheet, "Idle Timeout": 15–30 minutes for most applications.
	IdleTimeout time.Duration

	// AbsoluteTimeout ends a session this long after it was created, however
	// active. Default 24 hours; negative disables it. OWASP Session Management
	// Cheat Sheet, "Absolute Timeout".
	AbsoluteTimeout time.Duration

	// TouchInterval throttles idle-timeout bookkeeping: a request that only reads
	// its session writes the new activity time to the store at most once per
	// TouchInterval. Default: a tenth of IdleTimeout, at least one second and at
	// most one minute.
	TouchInterval time.Duration

	// SaveUninitialized stores a new session (and sets its cookie) even when the
	// request never wrote to it. Default false: a session is created by its first
	// write (express-session's saveUninitialized, whose default sesame reverses to
	// the safe choice, as express-session's own docs recommend).
	SaveUninitialized bool

	// Rolling re-sends the session cookie on every response that touched the
	// session, so the browser's expiry follows the idle deadline exactly.
	// Default false: the cookie is re-sent when the session is created,
	// regenerated, or its expiry moved by a touch.
	Rolling bool

	// Unset says what Session.Unset does. Default UnsetKeep.
	Unset UnsetMode

	// GenerateID makes a new session ID for the default Format. Default: 32 bytes from crypto/rand,
	// base64url (256 bits; OWASP asks for at least 64 bits of entropy). A
	// custom ID must be at least 22 characters of [A-Za-z0-9_-].
	GenerateID func() (string, error)

	// StoreTimeout bounds every store call a request makes, so a request never
	// hangs on a dead store. Default 2 seconds; negative: no bound beyond the
	// request's own context.
	StoreTimeout time.Duration

	// ErrorFunc answers a request whose session could not be loaded or saved.
	// err is a *StoreError or another error; when the response has already
	// started, ErrorFunc is not called and the error is logged. Default: 503 with
	// an application/problem+json body naming the store for a *StoreError, 409
	// for ErrSessionGone (a change lost to a concurrent logout or rotation), 500
	// otherwise. The header fields set before the session stage ran (CORS) are
	// kept on the error response.
	ErrorFunc func(w http.ResponseWriter, r *http.Request, err error)

	// IsHTTPS reports whether the client used HTTPS, for Cookie.Secure ==
	// SecureAuto. Default: r.TLS != nil, the connection this server accepted.
	// Behind a TLS-terminating proxy, set it to proxy.IsHTTPS and put the proxy
	// stage in front, which believes X-Forwarded-Proto or Forwarded only from
	// the proxies it trusts (the sesame Stack does this).
	IsHTTPS func(r *http.Request) bool

	// Host returns the host the browser asked for, which the session cookie
	// is checked against (a Domain attribute must match it). Default: r.Host.
	// Behind a proxy that rewrites Host, set it to proxy.Host (the sesame Stack
	// does this).
	Host func(r *http.Request) string

	// Dev adds a Sesame-Why response header saying why a request has no session
	// (no cookie, bad signature, unknown or expired, store error), for the front
	// end's network tab. Default false: never expose it in production.
	Dev bool

	// Logger receives per-request diagnostics, each logged once per cause.
	// New never logs: its warnings are returned by Manager.Warnings. Default
	// slog.Default().
	// Observer is told about sessions created, regenerated and destroyed, the
	// outcome of each load, each store call, and each response replaced by
	// ErrorFunc, for metrics and traces (see the adapters/otel module). Default
	// nil: nothing is observed, at no cost.
	Observer Observer

	Logger *slog.Logger

	// Fields renames this Config's fields in messages ("session.Config.Keys")
	// to those of the configuration the user wrote; the sesame Stack sets it so
	// that messages name sesame.Config's fields. Default nil: messages name
	// session.Config's.
	Fields problem.Fields
}

// CookieConfig describes the session cookie (RFC 6265bis §5.6 attributes).
type CookieConfig struct {
	// Name of the cookie. Default "sid". Names starting with "__Host-" or
	// "__Secure-" must satisfy their prefix (RFC 6265bis §4.1.3): New checks.
	Name string
	// Domain makes the cookie visible to subdomains. Default "": host-only,
	// which is safer and what the __Host- prefix requires.
	Domain string
	// Path scopes the cookie. Default "/".
	Path string
	// Secure: SecureAuto (default) sets the attribute when the request came over
	// HTTPS; SecureAlways and SecureNever are unconditional.
	Secure SecureMode
	// SameSite is always written explicitly, never left to the browser's default
	// (cookie.SameSiteOmit is refused). Default cookie.SameSiteLax.
	SameSite cookie.SameSite
	// Partitioned adds the CHIPS attribute, so a cross-site cookie is kept where
	// third-party cookies are blocked, keyed to the top-level site. It requires
	// Secure. Default false.
	Partitioned bool
	// Priority is Chromium's cookie eviction priority. Default
	// cookie.PriorityOmit: not sent.
	Priority cookie.Priority
	// BrowserSession omits Expires, so the browser forgets the cookie when it
	// closes (the server-side timeouts still apply). Default false: the cookie
	// expires with the session.
	BrowserSession bool
	// DisableHTTPOnly lets JavaScript read the session cookie. Default false:
	// HttpOnly is set (OWASP: session IDs must not be readable by scripts).
	DisableHTTPOnly bool
}

// SecureMode chooses when the session cookie carries the Secure attribute.
type SecureMode int

const (
	SecureAuto SecureMode = iota
	SecureAlways
	SecureNever
)

// UnsetMode chooses what Session.Unset does, like express-session's unset option.
type UnsetMode int

const (
	// UnsetKeep detaches the session from the request: the stored session is
	// kept as it was, and this request's changes are dropped.
	UnsetKeep UnsetMode = iota
	// UnsetDestroy destroys the session, as Destroy does.
	UnsetDestroy
)

// withDefaults returns a copy of c with defaults filled in, and every problem
// (warnings among them: the caller sorts them out).
func (c Config) withDefaults() (Config, error) {
	var errs []error
	name := c.Fields.Name
	if err := checkStore(c.Store, name("session.Config.Store")); err != nil {
		errs = append(errs, err)
	}
	if c.Keys == nil && c.Format == nil {
		errs = append(errs, problem.NewError(problem.WeakKey, name("session.Config.Keys")+" is required",
			"give it a key of at least 32 random bytes (sesame keygen prints one)"))
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 30 * time.Minute
	}
	if c.AbsoluteTimeout == 0 {
		c.AbsoluteTimeout = 24 * time.Hour
	}
	if c.IdleTimeout < 0 {
		c.IdleTimeout = 0
	}
	if c.AbsoluteTimeout < 0 {
		c.AbsoluteTimeout = 0
	}
	if c.TouchInterval <= 0 {
		c.TouchInterval = min(max(c.IdleTimeout/10, time.Second), time.Minute)
	}
	if c.StoreTimeout == 0 {
		c.StoreTimeout = 2 * time.Second
	}
	if c.StoreTimeout < 0 {
		c.StoreTimeout = 0
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.ErrorFunc == nil {
		c.ErrorFunc = defaultErrorFunc(c.Dev)
	}
	if c.IsHTTPS == nil {
		c.IsHTTPS = requestIsHTTPS
	}
	if c.Host == nil {
		c.Host = requestHost
	}
	if c.GenerateID == nil {
		c.GenerateID = randomID
	}
	if c.Format == nil && c.Keys != nil {
		c.Format = nativeFormat{keys: c.Keys, generateID: c.GenerateID}
	}
	ck := &c.Cookie
	if ck.Name == "" {
		ck.Name = "sid"
	}
	if ck.Path == "" {
		ck.Path = "/"
	}
	if ck.SameSite == cookie.SameSiteOmit {
		errs = append(errs, problem.NewError(problem.CrossSiteLax, name("session.Config.Cookie.SameSite")+" must be explicit",
			"Chromium treats a cookie without SameSite as Lax, Firefox and Safari as None: choose Lax, Strict or None"))
	}
	// The cookie package's own rules (grammar, prefixes, SameSite=None and
	// Partitioned without Secure, Domain) on the cookie this Manager will write,
	// Secure as it is at best; a request that turns out not to be HTTPS is
	// reported when it happens.
	proto := cookie.Cookie{
		Name: ck.Name, Value: strings.Repeat("A", 43) + "." + strings.Repeat("A", cookie.TagLen),
		Domain: ck.Domain, Path: ck.Path, Secure: ck.Secure != SecureNever, HttpOnly: !ck.DisableHTTPOnly,
		SameSite: ck.SameSite, Partitioned: ck.Partitioned, Priority: ck.Priority,
	}
	if _, err := proto.Check(""); err != nil {
		errs = append(errs, err)
	}
	if c.IdleTimeout > cookie.MaxLifetime || c.AbsoluteTimeout > cookie.MaxLifetime {
		errs = append(errs, problem.NewWarning(problem.LifetimeCapped,
			fmt.Sprintf("%s or %s is over 400 days: browsers cap cookie lifetimes at 400 days (RFC 6265bis §5.6.1), so the cookie ends before the session", name("session.Config.IdleTimeout"), name("session.Config.AbsoluteTimeout")),
			"use timeouts of at most 400 days"))
	}
	return c, errors.Join(errs...)
}
