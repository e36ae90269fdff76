package csrf

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/sesame-go/sesame/internal/oncelog"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// Config says which origins besides the API's own may send state-changing
// requests. New copies it.
type Config struct {
	// TrustedOrigins lists the front ends allowed to write, in the syntax of
	// cors.Config.Origins: exact origins, "https://*.example.com" patterns and
	// "http://localhost:*". "*" is refused (SES023: it would switch CSRF
	// protection off). Default: none (only same-origin writes pass).
	TrustedOrigins []string

	// Allowlist is a list built once elsewhere, normally the CORS stage's
	// (cors.CORS.Origins()), so that both stages trust the same front ends.
	// It is trusted in addition to TrustedOrigins. Default nil.
	Allowlist *origin.List

	// DangerouslyAllowInsecureOrigins accepts plain-http TrustedOrigins other
	// than loopback (SES025): an on-path attacker can inject script into such a
	// page and write as the user. Default false.
	DangerouslyAllowInsecureOrigins bool

	// Deny answers a refused request. Default: 403 with an RFC 9457
	// application/problem+json body naming the rule.
	Deny func(w http.ResponseWriter, r *http.Request, err error)

	// Logger receives each refusal, once per cause (rule and origin), with a
	// "rule" attribute. Default: slog.Default().
	Logger *slog.Logger

	// Fields renames this Config's fields in messages
	// ("csrf.Config.TrustedOrigins") to those of the configuration the user
	// wrote; the sesame Stack sets it so that messages name sesame.Config's
	// fields. Default nil: messages name csrf.Config's.
	Fields problem.Fields
}

// CSRF is the validated policy and its middleware. The zero value trusts no
// origin besides the API's own. A CSRF is safe for concurrent use and must not be
// copied after first use.
type CSRF struct {
	cop     http.CrossOriginProtection
	trusted []*origin.List
	deny    func(http.ResponseWriter, *http.Request, error)
	log     oncelog.Log
	fields  problem.Fields
	ownList bool // TrustedOrigins was set, not only Allowlist
}

// New validates cfg and returns the policy, or nil and every problem found,
// joined (errors.Join of *problem.Problem).
func New(cfg Config) (*CSRF, error) {
	c := &CSRF{deny: cfg.Deny, fields: cfg.Fields}
	c.log.Logger = cfg.Logger
	var errs []error
	var entries []string
	for _, e := range cfg.TrustedOrigins {
		if e == "*" {
			errs = append(errs, problem.NewError(problem.CSRFDisabled,
				c.fields.Name("csrf.Config.TrustedOrigins")+` has "*": every site could write with the user's cookies, which switches CSRF protection off`,
				"list the front-end origins"))
			continue
		}
		entries = append(entries, e)
	}
	if len(entries) > 0 {
		c.ownList = true
		l, err := origin.ParseList(entries, origin.Options{
			Credentials:                     true,
			DangerouslyAllowInsecureOrigins: cfg.DangerouslyAllowInsecureOrigins,
		})
		if err != nil {
			errs = append(errs, err)
		}
		c.trusted = append(c.trusted, l)
	}
	if cfg.Allowlist != nil {
		if cfg.Allowlist.Any() {
			errs = append(errs, problem.NewError(problem.CSRFDisabled,
				c.fields.Name("csrf.Config.Allowlist")+` allows every origin ("*"): trusting it would switch CSRF protection off`,
				"list the front-end origins in the CORS configuration"))
		}
		c.trusted = append(c.trusted, cfg.Allowlist)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Check returns nil if r may proceed: a safe method, a trusted origin, or what
// CrossOriginProtection accepts (same-origin, a user-initiated navigation, or no
// browser metadata at all). Otherwise it returns a *problem.Problem: SES017 when
// the origin is same-site with the API and so probably a front end missing from
// the list, SES035 otherwise. Check does not allocate when it returns nil for a
// browser request.
func (c *CSRF) Check(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	// CrossOriginProtection first: it settles same-origin requests with one
	// header read. The list is consulted only for what it refuses, instead of
	// registering origins with it, because it knows no patterns.
	err := c.cop.Check(r)
	if err == nil {
		return nil
	}
	if o := r.Header["Origin"]; len(o) == 1 && c.trusts(o[0]) {
		return nil
	}
	return c.explain(r, err)
}

func (c *CSRF) trusts(o string) bool {
	for _, l := range c.trusted {
		if l.Allows(o) {
			return true
		}
	}
	return false
}

// Handler returns h behind the check. A refused request never reaches h.
func (c *CSRF) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := c.Check(r); err != nil {
			var p *problem.Problem
			if errors.As(err, &p) {
				c.log.Note(p.Rule, r.Header.Get("Origin"), "csrf: cross-origin write refused",
					slog.String("detail", p.Detail), slog.String("fix", p.Fix),
					slog.String("method", r.Method), slog.String("path", r.URL.Path))
			}
			if c.deny != nil {
				c.deny(w, r, err)
				return
			}
			WriteProblem(w, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// explain explains a refusal by CrossOriginProtection.
func (c *CSRF) explain(r *http.Request, cause error) *problem.Problem {
	origins := c.originsField()
	o := r.Header.Get("Origin")
	site := r.Header.Get("Sec-Fetch-Site")
	switch {
	case o == "" || o == "null":
		return problem.NewError(problem.OriginMismatch,
			fmt.Sprintf("cross-origin %s refused (Sec-Fetch-Site: %q, Origin: %q)", r.Method, site, o),
			"send writes from a page of a trusted front end: a page with an opaque origin (a sandboxed iframe, a file: page, a redirect across sites) sends Origin: null, which no list can trust")
	case (site == "same-site" || sameSite(o, r.Host)) && strings.HasPrefix(o, "http://") && !insecureOK(o):
		return problem.NewError(problem.MixedScheme,
			fmt.Sprintf("%s from %q refused: a plain-http page of the API's own site is not a trusted front end (%v)", r.Method, o, cause),
			fmt.Sprintf("serve the front end over https and list %q in %s", "https://"+strings.TrimPrefix(o, "http://"), origins))
	case site == "same-site" || sameSite(o, r.Host):
		return problem.NewError(problem.CSRFUnknownFrontend,
			fmt.Sprintf("%s from %q refused: it is same-site with the API, so probably its own front end, but it is not a trusted origin (%v)", r.Method, o, cause),
			fmt.Sprintf("add %q to %s", o, origins))
	}
	return problem.NewError(problem.OriginMismatch,
		fmt.Sprintf("cross-origin %s from %q refused (%v)", r.Method, o, cause),
		"if this is your front end, add its origin to "+origins)
}

// sameSite reports whether origin o and the request host share a registrable
// domain (origin.SiteOf; schemes aside, as the caller tells a scheme mismatch
// apart).
func sameSite(o, host string) bool {
	scheme, oh, _, ok := origin.Split(o)
	if !ok {
		return false
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	return origin.SiteOf(scheme, strings.Trim(oh, "[]")).Domain == origin.SiteOf(scheme, host).Domain
}

// insecureOK reports whether an http origin is loopback, which browsers treat as
// potentially trustworthy (W3C Secure Contexts §3.1).
func insecureOK(o string) bool {
	_, h, _, ok := origin.Split(o)
	return ok && origin.IsLoopback(h)
}
