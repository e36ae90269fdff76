package proxy

import (
	"net/netip"
	"strings"
)

// parseHostPort reads an address as proxies write it: "1.2.3.4", "1.2.3.4:80",
// "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:443", with an optional IPv6 zone.
// It returns the address normalised: IPv4-mapped IPv6 unmapped (::ffff:1.2.3.4
// is 1.2.3.4) and the zone dropped. Both matter for security, not just for tidy
// output: netip.Prefix.Contains is false for a mapped or zoned address, so
// without normalising a client could write a trusted proxy's address in a form
// that escapes the trusted list, or a second form of its own to dodge a rate
// limit keyed on the address. The port is checked and discarded; obfPort allows
// an RFC 7239 §6.3 obfuscated port ("_abc").
func parseHostPort(s string, obfPort bool) (netip.Addr, bool) {
	if s == "" {
		return netip.Addr{}, false
	}
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return netip.Addr{}, false
		}
		if rest := s[end+1:]; rest != "" && (rest[0] != ':' || !validPort(rest[1:], obfPort)) {
			return netip.Addr{}, false
		}
		a, ok := parseIP(s[1:end])
		// Brackets are for IPv6 (RFC 3986 §3.2.2); "[1.2.3.4]" is not an address
		// any proxy writes. A mapped address was IPv6 before parseIP unmapped it.
		if !ok || (a.Is4() && !strings.Contains(s[1:end], ":")) {
			return netip.Addr{}, false
		}
		return a, true
	}
	if i := strings.IndexByte(s, ':'); i >= 0 && strings.LastIndexByte(s, ':') == i {
		// One colon: IPv4 with a port. (IPv6 has at least two.)
		if !validPort(s[i+1:], obfPort) {
			return netip.Addr{}, false
		}
		a, ok := parseIP(s[:i])
		if !ok || !a.Is4() {
			return netip.Addr{}, false
		}
		return a, true
	}
	return parseIP(s)
}

// parseIP parses an IPv4 or IPv6 address, dropping an IPv6 zone before parsing
// (so a zone costs no allocation) and unmapping IPv4-mapped IPv6.
func parseIP(s string) (netip.Addr, bool) {
	zoned := false
	if i := strings.IndexByte(s, '%'); i >= 0 {
		if i == len(s)-1 {
			return netip.Addr{}, false // "fe80::1%": an empty zone is not a zone
		}
		s, zoned = s[:i], true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || (zoned && !a.Is6()) {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// validPort accepts 1 to 5 decimal digits up to 65535, or with obf an RFC 7239
// obfuscated port ("_" followed by ALPHA / DIGIT / "." / "_" / "-").
func validPort(s string, obf bool) bool {
	if obf && len(s) > 1 && s[0] == '_' {
		return validObfuscated(s[1:])
	}
	if s == "" || len(s) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n <= 65535
}

// validObfuscated checks the characters RFC 7239 §6.3 allows after the "_" of an
// obfuscated node or port.
func validObfuscated(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// validHost accepts what a proxy may report as the host the client asked for: a
// DNS name or IPv4 address ("api.example.com", "10.0.0.1"), or a bracketed IPv6
// address, each with an optional port. Anything else (spaces, slashes, "@",
// percent signs, an empty value) is ignored rather than handed to code that
// builds URLs or cookie domains from it.
func validHost(s string) bool {
	if s == "" || len(s) > 261 { // 253-byte DNS name, ":", 5-digit port, brackets
		return false
	}
	host := s
	if s[0] == '[' {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		if rest := s[end+1:]; rest != "" && (rest[0] != ':' || !validPort(rest[1:], false)) {
			return false
		}
		a, err := netip.ParseAddr(s[1:end])
		return err == nil && a.Is6() && a.Zone() == ""
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		if !validPort(s[i+1:], false) {
			return false
		}
		host = s[:i]
	}
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !isAlnum(c) && c != '-' && c != '.' && c != '_' {
			return false
		}
	}
	return true
}

// parseProto reads a scheme as X-Forwarded-Proto or Forwarded proto= carry it.
// Only http and https (any case) mean something here; anything else ("wss",
// "https, http" as one value, garbage) is ignored.
func parseProto(s string) (https, ok bool) {
	switch {
	case strings.EqualFold(s, "https"):
		return true, true
	case strings.EqualFold(s, "http"):
		return false, true
	}
	return false, false
}
