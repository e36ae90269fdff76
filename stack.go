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

// A Stack is the whole request path: proxy → CORS → CSRF → session. It is safe for
// concurrent use.
type Stack struct {
	proxy    *proxy.Proxy
	cors     *cors.CORS // nil: no front-end origins, CORS is off
	csrf     *csrf.CSRF
	sessions *session.Manager
	noCookie *noCookieWatch // with cors only
	policy   policy
	proxies  string // the trusted proxies, for Explain
	warnings []*problem.Problem
	format   session.Format // a cookie format other than sesame's, or nil
}

// New validates cfg, derives the policy, and builds the stages. Every problem is
// reported at once, joined, each a *problem.Problem naming its rule and the
// Config field to change. Warnings (Severity Warning), New's own and every
// stage's, do not fail New: each is logged once to cfg.Logger and kept in
// Warnings. The stages themselves never log while they are built.
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
	if cfg.SessionFormat == nil || len(cfg.Keys) > 0 {
		var err error
		kr, err = cookie.NewKeyring(cfg.Keys...)
		errs = append(errs, err)
	}

	px, err := proxy.New(proxy.Config{Trusted: cfg.TrustedProxies, Hops: cfg.ProxyHops, Source: cfg.ProxyHeader,
		Logger: cfg.Logger, Fields: fields, OnRefuse: observedRefusal(cfg.Observer, "proxy")})
	errs = append(errs, err)

	cs, xs, cerrs := newOriginStages(cfg)
	errs = append(errs, cerrs...)

	mgr, err := session.New(sessionConfig(cfg, pol, kr))
	if kr == nil && cfg.SessionFormat == nil {
		err = withoutRule(err, problem.WeakKey) // NewKeyring said what is wrong with Keys
	}
	errs = append(errs, err)
	errs = append(errs, checkCookieName(cfg, pol)...)

	var warnings []*problem.Problem
	var hard []error
	for _, e := range flatten(errors.Join(errs...)) {
		var p *problem.Problem
		if errors.As(e, &p) && p.Severity == problem.Warning {
			warnings = append(warnings, p)
			continue
		}
		hard = append(hard, e)
	}
	if err := errors.Join(hard...); err != nil {
		return nil, err
	}
	// Every stage's warnings, collected the same way; each is logged here, once.
	warnings = append(warnings, px.Warnings()...)
	if cs != nil {
		warnings = append(warnings, cs.Warnings()...)
	}
	warnings = append(warnings, xs.Warnings()...)
	warnings = append(warnings, mgr.Warnings()...)
	for _, w := range warnings {
		cfg.Logger.Warn("sesame: "+w.Detail, "rule", string(w.Rule), "fix", w.Fix)
	}
	st := &Stack{proxy: px, cors: cs, csrf: xs, sessions: mgr, policy: pol, warnings: warnings,
		format: cfg.SessionFormat, proxies: describeProxies(cfg)}
	if cs != nil {
		st.noCookie = newNoCookieWatch(mgr.Config().Cookie.Name, cfg.Logger)
	}
	return st, nil
}

// newOriginStages builds CORS and CSRF from the one list of front ends.
func newOriginStages(cfg Config) (*cors.CORS, *csrf.CSRF, []error) {
	var errs []error
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
	if len(cfg.FrontendOrigins) > 0 {
		var err error
		cs, err = cors.New(cors.Config{
			Origins:                         cfg.FrontendOrigins,
			Credentials:                     true,
			DangerouslyAllowInsecureOrigins: cfg.DangerouslyAllowInsecureOrigins,
			Methods:                         methods,
			RequestHeaders:                  append([]string{"Content-Type"}, cfg.AllowHeaders...),
			ExposeHeaders:                   expose,
			MaxAge:                          maxAge,
			Debug:                           cfg.Dev,
			Logger:                          cfg.Logger,
			Fields:                          fields,
			OnRefuse:                        observedRefusal(cfg.Observer, "cors"),
		})
		if err != nil {
			return nil, nil, append(errs, err)
		}
	}
	// CSRF trusts exactly the CORS allowlist: one list, parsed once.
	xc := csrf.Config{Logger: cfg.Logger, Fields: fields}
	if ro, ok := cfg.Observer.(RefusalObserver); ok {
		xc.Deny = observedDeny(ro)
	}
	if cs != nil {
		xc.Allowlist = cs.Origins()
	}
	xs, err := csrf.New(xc)
	return cs, xs, append(errs, err)
}

// sessionConfig is the session stage's configuration: what Config says, with
// the attributes the policy derived and the proxy stage's view of the request.
func sessionConfig(cfg Config, pol policy, kr *cookie.Keyring) session.Config {
	name := pol.cookieName
	if cfg.CookieName != "" {
		name = cfg.CookieName
	}
	return session.Config{
		Store:  cfg.Store,
		Keys:   kr,
		Format: cfg.SessionFormat,
		Cookie: session.CookieConfig{
			Name: name, Domain: cfg.CookieDomain, Path: cfg.CookiePath,
			Secure: pol.secure, SameSite: pol.sameSite, Partitioned: pol.partitioned,
			Priority: cfg.CookiePriority, BrowserSession: cfg.BrowserSessionCookie,
			DisableHTTPOnly: cfg.CookieReadableByScripts,
		},
		IdleTimeout:       cfg.IdleTimeout,
		AbsoluteTimeout:   cfg.AbsoluteTimeout,
		TouchInterval:     cfg.TouchInterval,
		SaveUninitialized: cfg.SaveUninitialized,
		Rolling:           cfg.Rolling,
		Unset:             cfg.Unset,
		GenerateID:        cfg.GenerateID,
		StoreTimeout:      cfg.StoreTimeout,
		ErrorFunc:         cfg.SessionErrorFunc,
		Observer:          cfg.Observer,
		IsHTTPS:           proxy.IsHTTPS,
		Host:              proxy.Host,
		Dev:               cfg.Dev,
		Logger:            cfg.Logger,
		Fields:            fields,
	}
}

// checkCookieName refuses a prefixed CookieName the derived attributes cannot
// honour. RFC 6265bis §4.1.3: browsers accept a __Secure- or __Host- cookie only
// with Secure, which an http APIOrigin never gets; every login would answer
// without a cookie.
func checkCookieName(cfg Config, pol policy) []error {
	n := strings.ToLower(cfg.CookieName)
	if !strings.HasPrefix(n, "__host-") && !strings.HasPrefix(n, "__secure-") {
		return nil
	}
	if pol.secure == session.SecureAlways {
		return nil
	}
	return []error{problem.NewError(problem.CookiePrefix,
		fmt.Sprintf("sesame.Config.CookieName %q promises Secure, and the API %s is not served over https: browsers would drop the cookie on every login", cfg.CookieName, pol.api),
		"leave sesame.Config.CookieName empty (sesame uses __Host-sid whenever the API is https), or use a name without the __Host-/__Secure- prefix")}
}

// withoutRule drops the problems of one rule from a joined error.
func withoutRule(err error, rule problem.ID) error {
	var keep []error
	for _, e := range flatten(err) {
		var p *problem.Problem
		if errors.As(e, &p) && p.Rule == rule {
			continue
		}
		keep = append(keep, e)
	}
	return errors.Join(keep...)
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

// Handler serves app behind the whole stack. The request path, outermost first:
//
//	proxy      resolves the client, scheme and host from trusted forwarding headers
//	cors       answers preflights, adds the CORS headers for allowed origins
//	watch      notices a front end that never sends the cookie back (SES009)
//	csrf       refuses cross-origin writes from untrusted origins
//	session    loads the session lazily, commits it before the first byte
//	app
//
// Without front-end origins there is no cors stage and no watch.
func (s *Stack) Handler(app http.Handler) http.Handler {
	h := s.sessions.Handler(app)
	h = s.csrf.Handler(h)
	if s.cors != nil {
		h = s.noCookie.wrap(h)
		h = s.cors.Handler(h)
	}
	return s.proxy.Handler(h)
}

// Sessions returns the session manager, for UserSessions, DestroyUser and Ready.
func (s *Stack) Sessions() *session.Manager { return s.sessions }

// Ready reports whether the session store can serve requests (for /readyz).
func (s *Stack) Ready(ctx context.Context) error { return s.sessions.Ready(ctx) }

// Warnings returns the problems New and every stage found that do not stop the
// deployment from working everywhere (e.g. third-party cookie blocking for a
// cross-site front end), each once, in the order they were logged.
func (s *Stack) Warnings() []*problem.Problem { return slices.Clone(s.warnings) }

// Explain describes the derived policy in plain sentences, for the startup log.
func (s *Stack) Explain() string {
	var b strings.Builder
	p := s.policy
	fmt.Fprintf(&b, "API origin %s (site %s).\n", p.api, p.apiSite)
	b.WriteString(s.proxies)
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

// describeProxies says in a sentence whose forwarding headers are believed.
func describeProxies(cfg Config) string {
	header := cfg.ProxyHeader.String()
	switch {
	case cfg.ProxyHops > 0:
		return fmt.Sprintf("Proxies: the %d nearest hop(s) are trusted whatever their address; the client, scheme and host come from %s.\n", cfg.ProxyHops, header)
	case len(cfg.TrustedProxies) > 0:
		return fmt.Sprintf("Proxies: %s is believed only from %s; from anyone else it is ignored.\n", header, strings.Join(cfg.TrustedProxies, ", "))
	}
	return "Proxies: none trusted; forwarding headers are ignored, and the client, scheme and host are the connection's own (set TrustedProxies behind a load balancer).\n"
}
