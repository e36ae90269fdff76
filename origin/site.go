package origin

import (
	"net/url"
	"strings"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"
)

// An Origin is a tuple origin (HTML Standard, "origin"; RFC 6454): what decides
// CORS, and, through its Site, SameSite. The zero Origin is opaque.
type Origin struct {
	Scheme string // lower case, e.g. "https"
	Host   string // lower case; an IPv6 address in brackets, as serialised
	Port   string // "" for the scheme's default port
}

// FromURL returns the origin of u: the scheme and host lower-cased, a trailing dot
// and a default port dropped, an IPv6 host bracketed.
func FromURL(u *url.URL) Origin {
	o := Origin{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))}
	if strings.Contains(o.Host, ":") {
		o.Host = "[" + o.Host + "]"
	}
	if p := u.Port(); p != defaultPort(o.Scheme) {
		o.Port = p
	}
	return o
}

// String serialises o as a browser sends it in an Origin header.
func (o Origin) String() string {
	if o.Port == "" {
		return o.Scheme + "://" + o.Host
	}
	return o.Scheme + "://" + o.Host + ":" + o.Port
}

// Site returns o's schemeful site.
func (o Origin) Site() Site { return SiteOf(o.Scheme, o.Host) }

// A Site is a schemeful site (HTML Standard, "obtain a site"; RFC 6265bis §5.2):
// a scheme and a registrable domain. Browsers decide SameSite, Sec-Fetch-Site and
// third-party cookie blocking by it.
type Site struct {
	Scheme string
	// Domain is the host's registrable domain (its public suffix plus one label,
	// by the public suffix list's ICANN and private sections alike), or the host
	// itself when it is an IP address or itself a public suffix. "localhost" is
	// a site, and browsers treat it as a top-level domain, so app.localhost and
	// api.localhost are two sites.
	Domain string
}

func (s Site) String() string { return s.Scheme + "://" + s.Domain }

// SiteOf returns the schemeful site of a host (lower case, without port; an IPv6
// address with or without brackets) served over scheme.
func SiteOf(scheme, host string) Site {
	return Site{Scheme: scheme, Domain: registrableDomain(host)}
}

// registrableDomain returns host's registrable domain (eTLD+1), or host itself
// for an IP address and for a host that is a public suffix.
func registrableDomain(host string) string {
	if strings.HasPrefix(host, "[") || strings.Contains(host, ":") || looksIPv4(host) {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// A Relation is how two origins relate: a request's initiator (the front end)
// and its target (the API). It decides Sec-Fetch-Site, whether CORS applies, and
// which SameSite cookies a browser stores and sends.
type Relation int

// The relations, from closest to farthest.
const (
	SameOrigin Relation = iota
	SameSite            // different origins, same schemeful site
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

// Relate compares two origins as Fetch Metadata and RFC 6265bis do. Same-site is
// schemeful (http://a.example and https://a.example are cross-site), and the site
// is the registrable domain by the public suffix list: two apps on herokuapp.com
// are different sites. schemeOnly reports a cross-site relation that exists only
// because the schemes differ (rule SES032).
func Relate(a, b Origin) (rel Relation, schemeOnly bool) {
	if a == b {
		return SameOrigin, false
	}
	sa, sb := a.Site(), b.Site()
	switch {
	case sa == sb:
		return SameSite, false
	case sa.Domain == sb.Domain:
		return CrossSite, true
	default:
		return CrossSite, false
	}
}

// IsPublicSuffix reports whether domain (lower case) is on the public suffix
// list, in its ICANN or its private section: browsers refuse a cookie for either
// (RFC 6265bis §5.7), and treat every name under either as its own site. A name
// that the list knows only by its default rule (a single unknown label, such as
// "localhost") counts too.
func IsPublicSuffix(domain string) bool {
	if v := lastSuffix.Load(); v != nil && v.domain == domain {
		return v.suffix
	}
	ps, _ := publicsuffix.PublicSuffix(domain)
	v := &suffixVerdict{domain: strings.Clone(domain), suffix: ps == domain}
	lastSuffix.Store(v)
	return v.suffix
}

// lastSuffix remembers the verdict for the last domain looked up: a deployment
// sets one or two Domain values, and publicsuffix.PublicSuffix allocates on every
// call, which the per-response path should not.
var lastSuffix atomic.Pointer[suffixVerdict]

type suffixVerdict struct {
	domain string
	suffix bool
}

// PublicSuffix returns the public suffix that decides host's site, and whether
// it comes from the list's private section (herokuapp.com, vercel.app,
// github.io): such platforms make sibling hosts different sites however alike
// their names look.
func PublicSuffix(host string) (suffix string, private bool) {
	suffix, icann := publicsuffix.PublicSuffix(host)
	return suffix, !icann && strings.Contains(suffix, ".")
}

// childrenArePublicSuffixes reports whether every child of domain is itself a
// public suffix: a wildcard rule of the list such as "*.kawasaki.jp" or
// "*.r.appspot.com". Then every name under domain is someone's own site, however
// deep. A wildcard rule covers every label but its exceptions ("!city.kawasaki.jp"),
// so one probe label no exception names decides it.
func childrenArePublicSuffixes(domain string) bool {
	child := "sesame-probe." + domain
	ps, _ := publicsuffix.PublicSuffix(child)
	return ps == child
}
