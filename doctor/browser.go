package doctor

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// A CookieContext is the exchange a Set-Cookie arrived in: the URL that answered
// and the origin of the page whose fetch asked.
type CookieContext struct {
	URL    *url.URL  // the response's URL
	Origin *url.URL  // the front end's origin (scheme, host, port)
	Now    time.Time // for the lifetime cap; zero means time.Now()
}

// A CookieVerdict is what browsers do with one Set-Cookie.
type CookieVerdict struct {
	Cookie SetCookie
	// Stored reports whether a browser that follows RFC 6265bis and allows
	// third-party cookies (Chromium with the default of older profiles, Firefox
	// standard mode) keeps the cookie. Problems of Warning severity name the
	// browsers that still do not.
	Stored   bool
	Problems []*problem.Problem
}

// EvaluateSetCookie applies the browsers' acceptance rules to one Set-Cookie
// received over a credentialed fetch. The cookie's own rules (grammar aside: the
// parser already read it as a browser does) are package cookie's, the one copy of
// them (cookie.Cookie.CheckAt: size, Domain and domain-match, the __Secure-,
// __Host-, __Http- and __Host-Http- prefixes, SameSite=None and Partitioned
// without Secure, the 400-day cap); the relation between the page and the API is
// package origin's. This adds what depends on the exchange: Secure over plain
// http (and Safari's refusal of it on http://localhost), and what a cross-site
// response can set (Chromium's Lax-by-default, third-party cookie blocking, CHIPS).
// It reports every reason, not only the first a browser would stop at, so one run
// shows all there is to fix.
func EvaluateSetCookie(c SetCookie, cc CookieContext) CookieVerdict {
	v := CookieVerdict{Cookie: c}
	add := func(p *problem.Problem) { v.Problems = append(v.Problems, p) }
	host := hostOf(cc.URL)
	name := c.Name
	if name == "" {
		name = "(nameless)"
	}
	rel, schemeOnly := relate(cc.Origin, cc.URL)
	now := cc.Now
	if now.IsZero() {
		now = time.Now()
	}

	// An attribute value over 1024 bytes ignores that attribute only (the
	// parser dropped it).
	for _, a := range c.Oversized {
		add(problem.NewWarning(problem.CookieTooLarge,
			fmt.Sprintf("cookie %q: attribute %s is longer than %d bytes, so browsers ignore the attribute", name, a, cookie.MaxAttributeLen), ""))
	}

	// Secure needs a secure origin. Chromium and Firefox count http://localhost
	// as one; Safari does not.
	if c.Secure && !secureScheme(cc.URL) {
		if isLoopback(host) {
			add(problem.NewWarning(problem.SecureOverHTTP,
				fmt.Sprintf("cookie %q is Secure on %s://%s: Chromium and Firefox keep it, Safari refuses it", name, cc.URL.Scheme, host),
				"develop over https (a local CA), or test in Chromium/Firefox only"))
		} else {
			add(problem.NewError(problem.SecureOverHTTP,
				fmt.Sprintf("cookie %q is Secure but arrived over %s://, so every browser ignores it", name, cc.URL.Scheme),
				"serve the API over https, or set Secure only on https requests"))
		}
	}

	// The cookie's own rules, checked by package cookie against the host
	// that answered.
	ck := c.asCookie()
	warnings, err := ck.CheckAt(host, now)
	for _, p := range problems(err) {
		// The cookie grammar binds servers (RFC 6265bis §4); a browser
		// applies the lenient parsing algorithm instead, which
		// ParseSetCookie already did.
		if p.Rule != problem.CookieSyntax {
			add(p)
		}
	}

	// A cross-site response can only set SameSite=None cookies.
	if rel == origin.CrossSite {
		rule := problem.CrossSiteLax
		why := fmt.Sprintf("%s and %s are different sites", originString(cc.Origin), originString(cc.URL))
		if schemeOnly {
			rule = problem.MixedScheme
			why = fmt.Sprintf("%s and %s differ in scheme, and same-site is schemeful", originString(cc.Origin), originString(cc.URL))
		}
		switch c.SameSite {
		case "Lax", "Strict":
			add(problem.NewError(rule,
				fmt.Sprintf("cookie %q is SameSite=%s but the response is cross-site (%s), so browsers neither store nor send it", name, c.SameSite, why), ""))
		case "":
			attr := "has no SameSite attribute"
			if c.SameSiteRaw != "" {
				attr = fmt.Sprintf("has SameSite=%s, which browsers do not know", c.SameSiteRaw)
			}
			add(problem.NewError(rule,
				fmt.Sprintf("cookie %q %s, which Chromium treats as Lax, and the response is cross-site (%s), so Chromium refuses it", name, attr, why), ""))
		case "None":
			switch {
			case c.Secure && !c.Partitioned:
				add(problem.NewWarning(problem.ThirdPartyBlocking,
					fmt.Sprintf("cookie %q is a third-party cookie (%s): Safari, Firefox strict mode and Chromium with third-party cookies blocked (the default here) refuse it", name, why),
					"make the API same-site with the front end, or add Partitioned"))
			case c.Secure:
				// Partitioned (CHIPS) is the best a cross-site cookie can do,
				// and it is still a third-party cookie: the catalogue's SES007
				// (and sesame's own construction warning) say so.
				add(problem.NewWarning(problem.ThirdPartyBlocking,
					fmt.Sprintf("cookie %q is a partitioned third-party cookie (%s): Chromium keeps it, keyed to the front end's site, even with third-party cookies blocked; Safari and Firefox in strict mode may still refuse it", name, why),
					"make the API same-site with the front end (api.example.com for app.example.com), or serve it through the front end's origin"))
			}
		}
	}

	for _, w := range warnings { // the lifetime cap
		add(w)
	}

	v.Stored = true
	for _, p := range v.Problems {
		if p.Severity == problem.Error {
			v.Stored = false
		}
	}
	return v
}

// asCookie is the cookie as cookie.Check should judge it: Max-Age wins over
// Expires and Max-Age=0 or less deletes, and a SameSite value browsers do not
// know is no SameSite at all. A missing Path attribute is written as noPath: the
// path a browser stores is then the default-path (the jar's business), but the
// __Host- prefix wants the attribute itself, "Path=/" (RFC 6265bis §4.1.3.2), and
// noPath is no path at all to cookie's rules (only its grammar, which is not
// applied here, says more).
func (c SetCookie) asCookie() cookie.Cookie {
	ck := cookie.Cookie{
		Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HttpOnly: c.HTTPOnly, Partitioned: c.Partitioned,
		SameSite: cookie.SameSiteOmit, Expires: c.Expires,
	}
	if !c.HasPath {
		ck.Path = noPath
	}
	switch c.SameSite {
	case "None":
		ck.SameSite = cookie.SameSiteNone
	case "Lax":
		ck.SameSite = cookie.SameSiteLax
	case "Strict":
		ck.SameSite = cookie.SameSiteStrict
	}
	if c.HasMaxAge {
		ck.Expires = time.Time{}
		ck.MaxAge = -1
		if c.MaxAge > 0 {
			// Past the cap every value means the same; the bound keeps the
			// Duration from overflowing.
			ck.MaxAge = time.Duration(min(c.MaxAge, 1<<32)) * time.Second
		}
	}
	return ck
}

// noPath stands for a missing Path attribute in the findings, e.g. `cookie
// "__Host-sid" is a __Host- cookie with Path "(no Path attribute)"`.
const noPath = "(no Path attribute)"

// problems lists the *problem.Problem values joined in err.
func problems(err error) []*problem.Problem {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	var out []*problem.Problem
	for _, e := range errs {
		var p *problem.Problem
		if errors.As(e, &p) {
			out = append(out, p)
		}
	}
	return out
}
