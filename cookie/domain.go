package cookie

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// checkDomain reports why a browser would refuse domain as the Domain attribute of
// a cookie set in answer to a request for host ("" skips the host check). It
// follows RFC 6265bis §5.6.3 (a leading dot is ignored) and §5.7 steps 8-10 (public
// suffixes, domain-match), and refuses what those steps would turn into a silently
// host-only or dropped cookie.
func checkDomain(domain, host string) *problem.Problem {
	d := strings.TrimPrefix(domain, ".")
	if d == "" {
		return problem.NewError(problem.InvalidDomain, "Domain attribute "+quote(domain)+" is empty",
			"leave Domain empty for a host-only cookie")
	}
	if d[len(d)-1] == '.' {
		return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" ends with a dot",
			"remove the trailing dot")
	}
	for i := 0; i < len(d); i++ {
		b := d[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '-', b == '_':
		case b == '.':
			if i > 0 && d[i-1] == '.' {
				return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" has an empty label", "")
			}
		case b >= 0x80:
			return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" is not ASCII",
				"write the punycode (A-label) form, e.g. xn--bcher-kva.example")
		default:
			return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" holds a character that is not allowed in a host name", "")
		}
	}
	if isIP(d) {
		return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" is an IP address; browsers accept a cookie for an IP address only as host-only",
			"leave Domain empty")
	}
	lower := strings.ToLower(d)
	if origin.IsLocalhost(lower) {
		return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" is localhost, which browsers treat as a public suffix",
			"leave Domain empty during local development")
	}
	// A cookie for a public suffix would be shared by every site under it; the
	// browser ignores it (RFC 6265bis §5.7 step 9), or makes it host-only when
	// the request host is the suffix itself.
	if origin.IsPublicSuffix(lower) {
		return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" is a public suffix: one site cannot set a cookie for all of it",
			"use your registrable domain (e.g. example.co.uk) or leave Domain empty")
	}
	if host == "" {
		return nil
	}
	h := hostname(host)
	if isIP(h) {
		return problem.NewError(problem.InvalidDomain, "request host "+quote(h)+" is an IP address: a Domain attribute is refused there",
			"leave Domain empty")
	}
	if !DomainMatch(h, lower) {
		return problem.NewError(problem.InvalidDomain, "Domain "+quote(domain)+" does not domain-match the request host "+quote(h)+" (RFC 6265bis §5.1.3)",
			"use the request host or one of its parent domains, or leave Domain empty")
	}
	return nil
}

// isIP reports whether a host is an IP address the way a browser's host parser
// decides it (WHATWG URL: a host whose last label is a number is parsed as IPv4;
// IPv6 holds ':'), without netip's allocation of an error for every name.
func isIP(h string) bool {
	if strings.IndexByte(h, ':') >= 0 {
		_, err := netip.ParseAddr(h)
		return err == nil
	}
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X")
		}
	}
	return true
}

// DomainMatch reports whether host domain-matches domain (RFC 6265bis §5.1.3):
// they are equal, ignoring case, or host is a name (not an IP address) that ends
// in "." + domain. It is the rule by which a browser stores a cookie with a
// Domain attribute and sends it back. host and domain carry no port and no
// leading dot. DomainMatch does not allocate.
func DomainMatch(host, domain string) bool {
	if strings.EqualFold(host, domain) {
		return true
	}
	n := len(host) - len(domain)
	return n > 0 && host[n-1] == '.' && strings.EqualFold(host[n:], domain) && !isIP(host)
}

// hostname strips the port and IPv6 brackets from a Host header value, and a
// trailing dot from a name.
func hostname(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			return host[1:i]
		}
		return host
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host, ':') == i {
		host = host[:i]
	}
	return strings.TrimSuffix(host, ".")
}

// quote is strconv.Quote for the short strings of error messages.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}
