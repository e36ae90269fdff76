package sesame

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// origin is a parsed, canonical web origin (scheme, host, port).
type origin struct {
	raw    string // as configured
	scheme string // "http" or "https"
	host   string // lower case, no brackets
	port   string // "" for the scheme's default
}

func (o origin) String() string {
	h := o.host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if o.port != "" {
		return o.scheme + "://" + h + ":" + o.port
	}
	return o.scheme + "://" + h
}

// parseOrigin parses a serialized origin (RFC 6454 §6.2): scheme, host and an
// optional port, nothing else. Wildcard patterns ("https://*.example.com") are
// parsed with the "*." kept in host.
func parseOrigin(s string) (origin, error) {
	u, err := url.Parse(s)
	if err != nil {
		return origin{}, fmt.Errorf("origin %q does not parse: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return origin{}, fmt.Errorf("origin %q: the scheme must be http or https", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") || u.Opaque != "" {
		return origin{}, fmt.Errorf("origin %q: an origin is scheme://host[:port], nothing more", s)
	}
	if u.Path == "/" {
		return origin{}, fmt.Errorf("origin %q has a trailing slash: browsers send origins without one", s)
	}
	o := origin{raw: s, scheme: u.Scheme, host: u.Hostname(), port: u.Port()}
	if o.host == "" {
		return origin{}, fmt.Errorf("origin %q has no host", s)
	}
	if o.host != strings.ToLower(o.host) || strings.HasSuffix(o.host, ".") {
		return origin{}, fmt.Errorf("origin %q is not canonical: browsers send lower-case hosts without a trailing dot", s)
	}
	if (o.scheme == "https" && o.port == "443") || (o.scheme == "http" && o.port == "80") {
		return origin{}, fmt.Errorf("origin %q names the default port: browsers leave it out", s)
	}
	return o, nil
}

// isLoopback reports whether the origin's host is localhost or a loopback
// address: a potentially trustworthy origin (W3C Secure Contexts §3.1), where
// Chromium and Firefox accept Secure cookies over plain HTTP.
func (o origin) isLoopback() bool {
	if o.host == "localhost" || strings.HasSuffix(o.host, ".localhost") {
		return true
	}
	ip := net.ParseIP(o.host)
	return ip != nil && ip.IsLoopback()
}

// site is a schemeful site (HTML Standard §7.1.1.3, RFC 6265bis §5.2.1): the
// scheme and the registrable domain of the host, or the host itself for IP
// addresses, localhost and hosts that are themselves public suffixes.
type site struct {
	scheme string
	domain string
}

func (s site) String() string { return s.scheme + "://" + s.domain }

// siteOf computes the schemeful site of o with the public suffix list. icann is
// false when the suffix that decided it is in the list's private section
// (herokuapp.com, vercel.app, github.io): such platforms make sibling hosts
// different sites.
func siteOf(o origin) (s site, suffix string, private bool) {
	s.scheme = o.scheme
	host := strings.TrimPrefix(o.host, "*.")
	// IP addresses are their own site. "localhost" is one too, and, as browsers
	// treat it as a top-level domain, app.localhost and api.localhost are two
	// sites (the public suffix rules below give exactly that).
	if net.ParseIP(host) != nil || host == "localhost" {
		s.domain = host
		return s, "", false
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	etld1, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		s.domain = host // the host is itself a public suffix
	} else {
		s.domain = etld1
	}
	return s, suffix, !icann && strings.Contains(suffix, ".")
}
