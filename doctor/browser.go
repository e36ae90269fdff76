package doctor

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

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

// maxLifetime is the cap every browser applies to Max-Age and Expires (RFC 6265bis,
// "The Max-Age Attribute" and "The Expires Attribute": 400 days).
const maxLifetime = 400 * 24 * time.Hour

// EvaluateSetCookie applies the browsers' acceptance rules to one Set-Cookie
// received over a credentialed fetch: the Storage Model of RFC 6265bis (Secure,
// Domain, prefixes, SameSite and the same-site-ness of the request, size), and what
// browsers add to it (Chromium's Lax-by-default, Safari's refusal of Secure on
// http://localhost, third-party cookie blocking, CHIPS). It reports every reason,
// not only the first a browser would stop at, so one run shows all there is to fix.
func EvaluateSetCookie(c SetCookie, cc CookieContext) CookieVerdict {
	v := CookieVerdict{Cookie: c}
	add := func(p *problem.Problem) { v.Problems = append(v.Problems, p) }
	host := hostOf(cc.URL)
	name := c.Name
	if name == "" {
		name = "(nameless)"
	}
	rel, schemeOnly := Relate(cc.Origin, cc.URL)

	// Size: name+value over 4096 bytes ignores the cookie; an attribute value
	// over 1024 bytes ignores that attribute only.
	if n := len(c.Name) + len(c.Value); n > maxNameValue {
		add(problem.NewError(problem.CookieTooLarge,
			fmt.Sprintf("cookie %q has %d bytes of name and value; browsers ignore a cookie over %d", name, n, maxNameValue),
			"keep only an ID in the cookie and the data in the session store"))
	}
	for _, a := range c.Oversized {
		add(problem.NewWarning(problem.CookieTooLarge,
			fmt.Sprintf("cookie %q: attribute %s is longer than %d bytes, so browsers ignore the attribute", name, a, maxAttributeValue), ""))
	}

	// Secure needs a secure origin. Chromium and Firefox count http://localhost
	// as one; Safari does not.
	if c.Secure && !secureScheme(cc.URL) {
		if isLocalhost(host) {
			add(problem.NewWarning(problem.SecureOverHTTP,
				fmt.Sprintf("cookie %q is Secure on %s://%s: Chromium and Firefox keep it, Safari refuses it", name, cc.URL.Scheme, host),
				"develop over https (a local CA), or test in Chromium/Firefox only"))
		} else {
			add(problem.NewError(problem.SecureOverHTTP,
				fmt.Sprintf("cookie %q is Secure but arrived over %s://, so every browser ignores it", name, cc.URL.Scheme),
				"serve the API over https, or set Secure only on https requests"))
		}
	}

	// Domain: the response's host must domain-match it, and it must not be a
	// public suffix (unless it is the host itself, which makes a host-only cookie).
	if c.HasDomain {
		switch {
		case c.Domain == host:
		case net.ParseIP(host) != nil:
			add(problem.NewError(problem.InvalidDomain,
				fmt.Sprintf("cookie %q has Domain=%s but the API is the IP address %s, which takes no Domain", name, c.Domain, host),
				"remove the Domain attribute"))
		case isPublicSuffix(c.Domain):
			add(problem.NewError(problem.InvalidDomain,
				fmt.Sprintf("cookie %q has Domain=%s, a public suffix: browsers refuse a cookie for every site under it", name, c.Domain),
				"remove the Domain attribute"))
		case !domainMatch(host, c.Domain):
			add(problem.NewError(problem.InvalidDomain,
				fmt.Sprintf("cookie %q has Domain=%s, which %s is not part of: a server can only set cookies for itself and its parent domains", name, c.Domain, host),
				"remove the Domain attribute (or use a parent domain of "+host+")"))
		}
	}

	// Prefixes (RFC 6265bis, Cookie Name Prefixes), compared case-insensitively as
	// current browsers do.
	lower := strings.ToLower(c.Name)
	secureOrigin := secureScheme(cc.URL) || isLocalhost(host)
	switch {
	case strings.HasPrefix(lower, "__host-"):
		var broke []string
		if !c.Secure || !secureOrigin {
			broke = append(broke, "it must be Secure and set over https")
		}
		if c.HasDomain {
			broke = append(broke, "it must not have a Domain attribute (Domain="+c.Domain+")")
		}
		if !c.HasPath || c.Path != "/" {
			broke = append(broke, "it must have Path=/")
		}
		if len(broke) > 0 {
			add(problem.NewError(problem.CookiePrefix, fmt.Sprintf("cookie %q uses the __Host- prefix but %s", name, strings.Join(broke, "; ")),
				"Secure, Path=/, no Domain; or drop the prefix"))
		}
	case strings.HasPrefix(lower, "__secure-"):
		if !c.Secure || !secureOrigin {
			add(problem.NewError(problem.CookiePrefix, fmt.Sprintf("cookie %q uses the __Secure- prefix but is not Secure over https", name),
				"add Secure and serve over https; or drop the prefix"))
		}
	}

	// SameSite=None must be Secure.
	if c.SameSite == "None" && !c.Secure {
		add(problem.NewError(problem.NoneWithoutSecure,
			fmt.Sprintf("cookie %q is SameSite=None without Secure; browsers refuse it", name),
			"add Secure (which needs https)"))
	}
	if c.Partitioned && !c.Secure {
		add(problem.NewError(problem.ThirdPartyBlocking,
			fmt.Sprintf("cookie %q is Partitioned without Secure; Chromium refuses it", name),
			"add Secure (which needs https)"))
	}

	// A cross-site response can only set SameSite=None cookies.
	if rel == CrossSite {
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
			if c.Secure && !c.Partitioned {
				add(problem.NewWarning(problem.ThirdPartyBlocking,
					fmt.Sprintf("cookie %q is a third-party cookie (%s): Safari, Firefox strict mode and Chromium with third-party cookies blocked (the default here) refuse it", name, why),
					"make the API same-site with the front end, or add Partitioned"))
			}
		}
	}

	// Lifetime cap.
	now := cc.Now
	if now.IsZero() {
		now = time.Now()
	}
	switch {
	case c.HasMaxAge && c.MaxAge > int64(maxLifetime/time.Second):
		add(problem.NewWarning(problem.LifetimeCapped,
			fmt.Sprintf("cookie %q has Max-Age=%d (%d days); browsers cap it at 400 days", name, c.MaxAge, c.MaxAge/86400), ""))
	case !c.HasMaxAge && !c.Expires.IsZero() && c.Expires.Sub(now) > maxLifetime:
		add(problem.NewWarning(problem.LifetimeCapped,
			fmt.Sprintf("cookie %q expires %s, more than 400 days ahead; browsers cap it at 400 days", name, c.Expires.UTC().Format(time.DateOnly)), ""))
	}

	v.Stored = true
	for _, p := range v.Problems {
		if p.Severity == problem.Error {
			v.Stored = false
		}
	}
	return v
}
