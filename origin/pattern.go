package origin

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/sesame-go/sesame/problem"
	"golang.org/x/net/publicsuffix"
)

// AnyPort is the Port of a pattern such as "http://localhost:*".
const AnyPort = "*"

// A Pattern is one parsed allowlist entry other than "*".
type Pattern struct {
	// Scheme is "http" or "https".
	Scheme string
	// Host is the exact host (a lower-case punycode name, a canonical IPv4
	// address, or a bracketed canonical IPv6 address), or, when Subdomains is
	// set, the suffix after "*.".
	Host string
	// Port is "" for the scheme's default port, AnyPort for any port (including
	// the default), or a decimal port.
	Port string
	// Subdomains makes the pattern match every host that ends in "."+Host, at
	// any depth, but not Host itself (the apex).
	Subdomains bool
}

// String returns the pattern as it is written in a configuration.
func (p Pattern) String() string {
	var b strings.Builder
	b.WriteString(p.Scheme)
	b.WriteString("://")
	if p.Subdomains {
		b.WriteString("*.")
	}
	b.WriteString(p.Host)
	if p.Port != "" {
		b.WriteByte(':')
		b.WriteString(p.Port)
	}
	return b.String()
}

// Exact reports whether the pattern matches exactly one origin.
func (p Pattern) Exact() bool { return !p.Subdomains && p.Port != AnyPort }

// Match reports whether the parts of an origin, as returned by Split, match p.
// Hosts are compared whole, or for Subdomains on a label boundary: the byte before
// the suffix must be a dot, so "evil-example.com" never matches "*.example.com".
func (p Pattern) Match(scheme, host, port string) bool {
	if scheme != p.Scheme || (p.Port != AnyPort && port != p.Port) {
		return false
	}
	if !p.Subdomains {
		return host == p.Host
	}
	n := len(host) - len(p.Host)
	return n > 1 && host[n-1] == '.' && host[n:] == p.Host
}

// Secure reports whether a browser treats the pattern's origins as potentially
// trustworthy (W3C Secure Contexts §3.1): https, or http on a loopback host
// (IsLoopback: localhost and *.localhost, 127.0.0.0/8, [::1]).
func (p Pattern) Secure() bool {
	if p.Scheme == "https" {
		return true
	}
	if p.Subdomains {
		// Every name under a loopback name is one too; no name is under an
		// address.
		return IsLocalhost(p.Host)
	}
	return IsLoopback(p.Host)
}

// Site returns the schemeful site of the pattern's origins. Every origin of a
// subdomain pattern has the site of its parent domain (its Host) or a site under
// it; an any-port pattern's origins all have the site of its host.
func (p Pattern) Site() Site { return SiteOf(p.Scheme, p.Host) }

// ParsePattern parses one allowlist entry other than "*". Every way in which s
// differs from the form a browser sends is reported (rule SES015, with the form
// to write instead when one can be derived), as are "null" (SES024) and a
// subdomain pattern over a public suffix such as "https://*.herokuapp.com"
// (SES026). Policy that depends on the deployment (credentials, http) is
// ParseList's.
func ParsePattern(s string) (Pattern, []*problem.Problem) {
	pr := patternParser{raw: s}
	p := pr.parse()
	return p, pr.probs
}

type patternParser struct {
	raw   string
	probs []*problem.Problem
}

func (pr *patternParser) bad(format string, args ...any) {
	fix := "write it as a browser sends it: scheme://host[:port], e.g. \"https://app.example.com\""
	if c := Suggest(pr.raw); c != "" && c != pr.raw {
		fix = fmt.Sprintf("write %q", c)
	}
	pr.probs = append(pr.probs, problem.NewError(problem.MalformedOrigin,
		fmt.Sprintf("origin %q %s", pr.raw, fmt.Sprintf(format, args...)), fix))
}

func (pr *patternParser) parse() Pattern {
	s := pr.raw
	var p Pattern
	switch {
	case s == "":
		pr.bad("is empty")
		return p
	case s == "null":
		pr.probs = append(pr.probs, problem.NewError(problem.NullOrigin,
			`origin "null" is in the allowlist: browsers send Origin: null from sandboxed iframes, data: URLs and file: pages, which any attacker can create`,
			"remove \"null\" and list the front end's real origin"))
		return p
	case strings.TrimSpace(s) != s:
		pr.bad("has white space around it")
		s = strings.TrimSpace(s)
	}
	i := strings.Index(s, "://")
	if i < 0 {
		pr.bad("has no scheme")
		return p
	}
	scheme, rest := s[:i], s[i+3:]
	if l := strings.ToLower(scheme); l != scheme {
		pr.bad("has an upper-case scheme")
		scheme = l
	}
	if scheme != "http" && scheme != "https" {
		pr.bad("has scheme %q: only http and https front ends are supported", scheme)
	}
	p.Scheme = scheme

	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		tail := rest[j:]
		rest = rest[:j]
		path, _, _ := strings.Cut(tail, "?")
		path, _, _ = strings.Cut(path, "#")
		switch {
		case tail == "/":
			pr.bad("has a trailing slash: an origin has no path")
		case path != "":
			pr.bad("has a path (%q): an origin has none", path)
		}
		if strings.Contains(tail, "?") {
			pr.bad("has a query: an origin has none")
		}
		if strings.Contains(tail, "#") {
			pr.bad("has a fragment: an origin has none")
		}
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		pr.bad("has userinfo (%q): browsers never send it in Origin", rest[:at+1])
		rest = rest[at+1:]
	}

	host, port, hasPort := rest, "", false
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			pr.bad("has an unterminated IPv6 address")
			return p
		}
		host = rest[:end+1]
		if after := rest[end+1:]; after != "" {
			if after[0] != ':' {
				pr.bad("has text after its IPv6 address")
				return p
			}
			port, hasPort = after[1:], true
		}
	} else if c := strings.IndexByte(rest, ':'); c >= 0 {
		host, port, hasPort = rest[:c], rest[c+1:], true
	}
	if hasPort {
		p.Port = pr.port(scheme, port)
	}
	p.Host, p.Subdomains = pr.host(host)
	if p.Subdomains && len(pr.probs) == 0 {
		// A pattern over a public suffix, or over a name whose every child is
		// one (a wildcard rule of the list: *.kawasaki.jp, *.r.appspot.com,
		// *.compute.amazonaws.com), allows sites that anyone can register, with
		// whatever credentials the list grants.
		if ps, icann := publicsuffix.PublicSuffix(p.Host); ps == p.Host && (icann || strings.Contains(ps, ".")) {
			pr.probs = append(pr.probs, problem.NewError(problem.PublicSuffixWildcard,
				fmt.Sprintf("origin pattern %q covers every site under the public suffix %q: anyone can register one", pr.raw, ps),
				"list the exact front-end origins, or a pattern under a domain you own"))
		} else if childrenArePublicSuffixes(p.Host) {
			pr.probs = append(pr.probs, problem.NewError(problem.PublicSuffixWildcard,
				fmt.Sprintf("origin pattern %q covers names that are each a public suffix (the list has the rule \"*.%s\"), so every host under it is a site anyone can register", pr.raw, p.Host),
				"list the exact front-end origins, or a pattern under a domain you own"))
		}
	}
	return p
}

func (pr *patternParser) port(scheme, port string) string {
	switch {
	case port == AnyPort:
		return AnyPort
	case port == "":
		pr.bad("has an empty port")
		return ""
	}
	n := 0
	for _, c := range []byte(port) {
		if c < '0' || c > '9' || n > 65535 {
			pr.bad("has an invalid port %q", port)
			return ""
		}
		n = n*10 + int(c-'0')
	}
	switch {
	case n == 0 || n > 65535:
		pr.bad("has an invalid port %q", port)
		return ""
	case port[0] == '0':
		pr.bad("has a port with leading zeros")
	case port == defaultPort(scheme):
		pr.bad("has the default port :%s, which browsers never send", port)
		return ""
	}
	return fmt.Sprint(n)
}

func (pr *patternParser) host(h string) (string, bool) {
	if h == "" {
		pr.bad("has no host")
		return "", false
	}
	if strings.HasPrefix(h, "[") {
		in := h[1 : len(h)-1]
		a, err := netip.ParseAddr(in)
		switch {
		case err != nil || !a.Is6() || a.Zone() != "":
			pr.bad("has an invalid IPv6 address")
		case a.Is4In6() || a.String() != in:
			pr.bad("has a non-canonical IPv6 address (browsers send [%s])", a.Unmap().String())
		}
		return h, false
	}
	sub := false
	if strings.HasPrefix(h, "*.") {
		sub, h = true, h[2:]
	}
	if strings.Contains(h, "*") {
		pr.bad("has '*' where only a whole leftmost label \"*.\" is a pattern")
		return h, sub
	}
	if !utf8.ValidString(h) || strings.IndexFunc(h, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
		pr.bad("has a non-ASCII host: browsers send internationalised names in punycode (xn--)")
		return h, sub
	}
	if l := strings.ToLower(h); l != h {
		pr.bad("has upper case in its host: browsers send it lower-case")
		h = l
	}
	if strings.HasSuffix(h, ".") {
		// The URL Standard keeps the dot, and a page served at
		// https://app.example.com./ does send it in Origin; but that is
		// another origin than the dotless one (its own cookies and storage),
		// which a front end is almost never meant to be served at.
		pr.bad("ends in a dot: browsers do send such an origin (the URL Standard keeps the dot, so a page served from that host sends exactly this Origin), but it is a different origin from %q, with its own cookies and storage; sesame allows only the dotless form, the one a front end is served at", Suggest(pr.raw))
		h = strings.TrimSuffix(h, ".")
	}
	if looksIPv4(h) {
		a, err := netip.ParseAddr(h)
		switch {
		case sub:
			pr.bad("puts a wildcard on an IP address")
		case err != nil || !a.Is4():
			pr.bad("has an invalid IPv4 address")
		case a.String() != h:
			pr.bad("has a non-canonical IPv4 address")
		}
		return h, sub
	}
	if !isHostName(h) {
		pr.bad("has an invalid host name (labels of letters, digits, '-' and '_', 1 to 63 bytes)")
	}
	return h, sub
}

// looksIPv4 reports whether the last label of h is numeric, which makes the URL
// parser treat the whole host as an IPv4 address (URL Standard, "ends in a number").
func looksIPv4(h string) bool {
	last := h[strings.LastIndexByte(h, '.')+1:]
	if strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X") {
		return true
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

// Suggest returns the origin a browser would send for a front end configured as s
// (a full URL, an origin with mistakes, a Unicode host), or "" when it cannot tell.
// It is what the SES015 fixes propose.
func Suggest(s string) string {
	s = strings.TrimSpace(s)
	i := strings.Index(s, "://")
	if i <= 0 {
		return ""
	}
	scheme, rest := strings.ToLower(s[:i]), s[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return ""
		}
		host = rest[:end+1]
		if a, err := netip.ParseAddr(host[1:end]); err == nil {
			host = "[" + a.WithZone("").String() + "]"
		}
		port = strings.TrimPrefix(rest[end+1:], ":")
	} else if c := strings.IndexByte(rest, ':'); c >= 0 {
		host, port = rest[:c], rest[c+1:]
	}
	if !strings.HasPrefix(host, "[") {
		wild := strings.HasPrefix(host, "*.")
		host = strings.TrimPrefix(host, "*.")
		host = strings.TrimSuffix(host, ".")
		host = toASCII(strings.ToLower(host))
		if wild {
			host = "*." + host
		}
	}
	port = strings.TrimLeft(port, "0")
	if port == defaultPort(scheme) {
		port = ""
	}
	out := scheme + "://" + host
	if port != "" {
		out += ":" + port
	}
	return out
}
