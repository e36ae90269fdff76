package doctor

import (
	"net"
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// A Relation is how a request's initiator (the front end's origin) relates to the
// URL it fetches. It decides Sec-Fetch-Site, whether CORS applies, and which
// SameSite cookies a browser stores and sends.
type Relation int

// The relations, from closest to farthest.
const (
	SameOrigin Relation = iota
	SameSite            // different origin, same scheme and registrable domain
	CrossSite
)

func (r Relation) String() string {
	switch r {
	case SameOrigin:
		return "same-origin"
	case SameSite:
		return "same-site"
	default:
		return "cross-site"
	}
}

// Relate compares an origin and a URL the way Fetch Metadata and RFC 6265bis do.
// Same-site is schemeful (http://a.example and https://a.example are cross-site),
// and the site is the registrable domain by the public suffix list: two apps on
// herokuapp.com are different sites. schemeOnly reports a cross-site relation that
// exists only because the schemes differ (rule SES032).
func Relate(origin, target *url.URL) (rel Relation, schemeOnly bool) {
	if sameOrigin(origin, target) {
		return SameOrigin, false
	}
	oh, th := hostOf(origin), hostOf(target)
	sameDomain := registrableDomain(oh) == registrableDomain(th)
	switch {
	case sameDomain && origin.Scheme == target.Scheme:
		return SameSite, false
	case sameDomain:
		return CrossSite, true
	default:
		return CrossSite, false
	}
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && hostOf(a) == hostOf(b) && effectivePort(a) == effectivePort(b)
}

// hostOf is the URL's host, lower-cased, without port or IPv6 brackets.
func hostOf(u *url.URL) string { return strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")) }

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "https", "wss":
		return "443"
	case "http", "ws":
		return "80"
	}
	return ""
}

// registrableDomain is the host's eTLD+1, the host itself for an IP address, and
// the host itself when the host is a public suffix (localhost, herokuapp.com).
func registrableDomain(host string) string {
	if net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// isPublicSuffix reports whether the domain is on the public suffix list, ICANN or
// private section alike: browsers refuse cookies for both.
func isPublicSuffix(domain string) bool {
	ps, _ := publicsuffix.PublicSuffix(domain)
	return ps == domain
}

// isLocalhost reports whether the host is a potentially trustworthy loopback name:
// localhost, a name under .localhost, or a loopback address. Chromium and Firefox
// treat http:// on these as a secure context (W3C Secure Contexts); Safari does not
// for cookies.
func isLocalhost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// secureScheme reports whether a cookie set or sent on u counts as secure in every
// browser.
func secureScheme(u *url.URL) bool { return u.Scheme == "https" || u.Scheme == "wss" }

// domainMatch is RFC 6265bis domain matching: equal, or host ends with "." + domain
// and host is not an IP address.
func domainMatch(host, domain string) bool {
	if host == domain {
		return true
	}
	if net.ParseIP(host) != nil {
		return false
	}
	return strings.HasSuffix(host, "."+domain)
}

// originString serializes a URL's origin as the Origin header does.
// A default port is omitted, as browsers omit it.
func originString(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	o := strings.ToLower(u.Scheme) + "://" + host
	if p := u.Port(); p != "" && !(p == "443" && u.Scheme == "https") && !(p == "80" && u.Scheme == "http") {
		o += ":" + p
	}
	return o
}
