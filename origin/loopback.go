package origin

import (
	"net/netip"
	"strings"
)

// IsLocalhost reports whether host is "localhost" or a name under ".localhost",
// in any case. RFC 6761 §6.3 reserves these names for the loopback interface, and
// the URL and Fetch standards ("potentially trustworthy origin", W3C Secure
// Contexts §3.1) and browsers resolve them there: they are a secure context over
// plain http in Chromium and Firefox, and browsers treat "localhost" as a public
// suffix for cookies. host is a host name without port.
func IsLocalhost(host string) bool {
	const name = "localhost"
	n := len(host)
	if n < len(name) || !strings.EqualFold(host[n-len(name):], name) {
		return false
	}
	return n == len(name) || host[n-len(name)-1] == '.'
}

// IsLoopback reports whether host is loopback in the browsers' sense: IsLocalhost,
// an address in 127.0.0.0/8, or ::1. These are the potentially trustworthy hosts
// of the Fetch standard, where http: pages are a secure context, and where sesame
// allows plain-http front ends with credentials. host may carry a port and
// brackets, as in a Host header ("localhost:8080", "[::1]:3000", "127.0.0.2").
func IsLoopback(host string) bool {
	host = stripPort(host)
	if IsLocalhost(host) {
		return true
	}
	if host == "" || !strings.Contains(host, ":") && !looksIPv4(host) {
		return false // a name: spare netip the allocation of an error
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == "" && a.IsLoopback()
}

// stripPort removes a port and IPv6 brackets: "[::1]:80" is "::1", "a:80" is "a",
// and "::1" (more than one colon, no brackets) is left as it is.
func stripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			return host[1:i]
		}
		return host
	}
	if i := strings.IndexByte(host, ':'); i >= 0 && strings.LastIndexByte(host, ':') == i {
		return host[:i]
	}
	return host
}
