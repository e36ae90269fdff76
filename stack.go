package sesame

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
	"github.com/sesame-go/sesame/session"
)

// Config describes a deployment: where the API is, where its front ends are, what
// stands in front of it, and where sessions live. New derives the cookie, CORS
// and CSRF policy from it. Every field's comment states its default.
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

	// TrustedProxies lists the proxies whose forwarding headers are believed:
	// CIDRs, addresses, or "loopback", "linklocal", "private", "uniquelocal".
	// Default: none, so X-Forwarded-* is ignored. See proxy.Config.
	TrustedProxies []string
	// ProxyHops trusts exactly this many proxies in front of the server, whatever
	// their address (Express's `trust proxy = N`). Default 0.
	ProxyHops int
	// ProxyHeader picks X-Forwarded-For (default) or RFC 7239 Forwarded.
	ProxyHeader proxy.Source

	// Keys sign the session cookie: the first signs, all verify, each at least 32
	// bytes. Required.
	Keys [][]byte

	// Store keeps the sessions. Required: session/memstore for one instance,
	// stores/redisstore, stores/pgstore or stores/boltstore otherwise.
	Store session.Store

	// IdleTimeout and AbsoluteTimeout end sessions (OWASP Session Management
	// Cheat Sheet). Defaults 30 minutes and 24 hours; negative disables one.
	IdleTimeout, AbsoluteTimeout time.Duration

	// StoreTimeout bounds each store call. Default 2 seconds.
	StoreTimeout time.Duration

	// CookieName overrides the derived name ("__Host-sid" when the attributes
	// allow the prefix, else "sid").
	CookieName string

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

	// Session adjusts the session manager beyond what the Stack derives; the
	// fields the Stack derives (Store, Keys, timeouts, cookie name, SameSite,
	// Secure, Partitioned, IsHTTPS, Dev, Logger) are overwritten.
	Session session.Config

	// Logger receives warnings and per-request diagnostics. Default slog.Default().
	Logger *slog.Logger
}

// A Stack is the whole request path: proxy → CORS → CSRF → session. It is safe for
// concurrent use.
type Stack struct {
	proxy    *proxy.Proxy
	cors     *cors.CORS
	csrf     *csrf.CSRF
	sessions *session.Manager
	policy   policy
	warnings []*problem.Problem
	handler  func(http.Handler) http.Handler
	noCookie *noCookieWatch
	format   session.Format // a cookie format other than sesame's, or nil
}

// New validates cfg, derives the policy, and builds the stages. Every problem is
// reported at once, joined, each a *problem.Problem naming its rule; warnings
// (Severity Warning) do not fail New: they are logged and kept in Warnings.
func New(cfg Config) (*Stack, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	var errs []error
	pol, perrs := derive(cfg)
	errs = append(errs, perrs...)

	// Keys sign sesame's own cookie format; a deployment in another format
	// (compat/express) signs with that format's secrets instead.
	var kr *cookie.Keyring
	if cfg.Session.Format == nil || len(cfg.Keys) > 0 {
		var err error
		kr, err = cookie.NewKeyring(cfg.Keys...)
		errs = append(errs, err)
	}
	if cfg.Store == nil {
		errs = append(errs, errors.New("sesame: Config.Store is required"))
	}

	px, err := proxy.New(proxy.Config{Trusted: cfg.TrustedProxies, Hops: cfg.ProxyHops, Source: cfg.ProxyHeader, Logger: cfg.Logger})
	errs = append(errs, err)

	methods := cfg.AllowMethods
	if methods == nil {
		methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}
	}
	expose := slices.Clone(cfg.ExposeHeaders)
	if cfg.Dev {
		expose = append(expose, "Sesame-Why")
	}
	maxAge := cfg.CORSMaxAge
	if maxAge == 0 {
		maxAge = 2 * time.Hour
	}
	var cs *cors.CORS
	var xs *csrf.CSRF
	if len(cfg.FrontendOrigins) > 0 {
		cs, err = cors.New(cors.Config{
			Origins:        cfg.FrontendOrigins,
			Credentials:    true,
			Methods:        methods,
			RequestHeaders: append([]string{"Content-Type"}, cfg.AllowHeaders...),
			ExposeHeaders:  expose,
			MaxAge:         maxAge,
			Debug:          cfg.Dev,
			Logger:         cfg.Logger,
		})
		errs = append(errs, err)
	}
	// CSRF trusts exactly the CORS allowlist: one list, parsed once.
	if len(cfg.FrontendOrigins) == 0 || cs != nil {
		xc := csrf.Config{Logger: cfg.Logger}
		if cs != nil {
			xc.Allowlist = cs.Origins()
		}
		xs, err = csrf.New(xc)
		errs = append(errs, err)
	}

	var mgr *session.Manager
	if (kr != nil || cfg.Session.Format != nil) && cfg.Store != nil && px != nil {
		sc := cfg.Session
		sc.Store, sc.Keys = cfg.Store, kr
		sc.IdleTimeout, sc.AbsoluteTimeout, sc.StoreTimeout = cfg.IdleTimeout, cfg.AbsoluteTimeout, cfg.StoreTimeout
		sc.Cookie.Name = pol.cookieName
		if cfg.CookieName != "" {
			sc.Cookie.Name = cfg.CookieName
		}
		sc.Cookie.SameSite, sc.Cookie.Secure, sc.Cookie.Partitioned = pol.sameSite, pol.secure, pol.partitioned
		sc.IsHTTPS, sc.Dev, sc.Logger = proxy.IsHTTPS, cfg.Dev, cfg.Logger
		mgr, err = session.New(sc)
		errs = append(errs, err)
	}

	// Warnings are logged and kept; errors fail New.
	st := &Stack{proxy: px, cors: cs, csrf: xs, sessions: mgr, policy: pol, format: cfg.Session.Format}
	var hard []error
	for _, e := range flatten(errors.Join(errs...)) {
		var p *problem.Problem
		if errors.As(e, &p) && p.Severity == problem.Warning {
			st.warnings = append(st.warnings, p)
			continue
		}
		hard = append(hard, e)
	}
	if err := errors.Join(hard...); err != nil {
		return nil, err
	}
	if cs != nil {
		st.warnings = append(st.warnings, cs.Warnings()...)
	}
	for _, w := range st.warnings {
		cfg.Logger.Warn("sesame: "+w.Error(), "rule", string(w.Rule))
	}
	st.noCookie = newNoCookieWatch(mgr.Config().Cookie.Name, cfg.Logger)
	st.handler = func(h http.Handler) http.Handler {
		h = mgr.Handler(h)
		if xs != nil {
			h = xs.Handler(h)
		}
		if cs != nil {
			h = st.noCookie.wrap(h)
			h = cs.Handler(h)
		}
		return px.Handler(h)
	}
	return st, nil
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range u.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Handler serves h behind the whole stack: proxy → CORS → CSRF → session.
func (s *Stack) Handler(h http.Handler) http.Handler { return s.handler(h) }

// Sessions returns the session manager, for UserSessions, DestroyUser and Ready.
func (s *Stack) Sessions() *session.Manager { return s.sessions }

// Ready reports whether the session store can serve requests (for /readyz).
func (s *Stack) Ready(ctx context.Context) error { return s.sessions.Ready(ctx) }

// Warnings returns the problems New found that do not stop the deployment from
// working everywhere (e.g. third-party cookie blocking for a cross-site front end).
func (s *Stack) Warnings() []*problem.Problem { return slices.Clone(s.warnings) }

// Explain describes the derived policy in plain sentences, for the startup log.
func (s *Stack) Explain() string {
	var b strings.Builder
	p := s.policy
	fmt.Fprintf(&b, "API origin %s (site %s).\n", p.api, p.apiSite)
	if len(p.frontends) == 0 {
		b.WriteString("No front-end origins: only same-origin pages may call the API with credentials; CORS is off.\n")
	}
	for _, f := range p.frontends {
		fmt.Fprintf(&b, "Front end %s: %s\n", f.raw, f.relation)
	}
	ck := s.sessions.Config().Cookie
	fmt.Fprintf(&b, "Session cookie: %s", ck.Name)
	if ck.Domain != "" {
		fmt.Fprintf(&b, "; Domain=%s", ck.Domain)
	}
	fmt.Fprintf(&b, "; Path=%s", ck.Path)
	if !ck.DisableHTTPOnly {
		b.WriteString("; HttpOnly")
	}
	fmt.Fprintf(&b, "; SameSite=%s", p.sameSite)
	switch p.secure {
	case session.SecureAlways:
		b.WriteString("; Secure")
	case session.SecureAuto:
		b.WriteString("; Secure when the request is HTTPS")
	}
	if p.partitioned {
		b.WriteString("; Partitioned")
	}
	b.WriteString(".\n")
	if s.format != nil {
		fmt.Fprintf(&b, "Session IDs use the %T cookie format: the store may key records by the raw ID.\n", s.format)
	}
	for _, r := range p.reasons {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	if s.cors != nil {
		b.WriteString("CORS: the front-end origins above, exact origin echoed, credentials allowed, Vary: Origin always.\n")
	}
	b.WriteString("CSRF: unsafe methods (POST, PUT, PATCH, DELETE) are refused from any other browser origin (Origin / Sec-Fetch-Site); non-browser clients pass.\n")
	if !s.sessions.PatchesConcurrently() {
		b.WriteString("Warning: the store writes whole sessions: concurrent requests that change one session can lose each other's changes, and a request that loaded a session before a sign-out can write it back.\n")
	}
	cfg := s.sessions.Config()
	fmt.Fprintf(&b, "Sessions end after %s idle and %s in all.\n", durationOr(cfg.IdleTimeout, "no"), durationOr(cfg.AbsoluteTimeout, "no limit"))
	for _, w := range s.warnings {
		fmt.Fprintf(&b, "Warning %s\n", w.Error())
	}
	return b.String()
}

func durationOr(d time.Duration, none string) string {
	if d <= 0 {
		return none
	}
	return d.String()
}
