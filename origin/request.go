package origin

import "strings"

// Split parses an Origin header value as a browser serialises it (HTML Standard,
// "ASCII serialization of an origin"): scheme "://" host [":" port], with a
// lower-case scheme and host, a host made of non-empty labels of letters, digits,
// '-' and '_' (IDNs arrive as punycode), or a bracketed IPv6 address, and a port
// only when it is not the scheme's default. Anything else, including "null", is
// reported as not ok. Split does not allocate: the parts are substrings of s.
func Split(s string) (scheme, host, port string, ok bool) {
	i := 0
	for i < len(s) && isSchemeChar(s[i], i == 0) {
		i++
	}
	if i == 0 || len(s)-i < 3 || s[i:i+3] != "://" {
		return "", "", "", false
	}
	scheme, rest := s[:i], s[i+3:]
	if rest == "" {
		return "", "", "", false
	}
	if rest[0] == '[' {
		end := strings.IndexByte(rest, ']')
		if end < 0 || !isIPv6Literal(rest[1:end]) {
			return "", "", "", false
		}
		host, rest = rest[:end+1], rest[end+1:]
	} else {
		end := strings.IndexByte(rest, ':')
		if end < 0 {
			end = len(rest)
		}
		host, rest = rest[:end], rest[end:]
		if !isHostName(host) {
			return "", "", "", false
		}
	}
	if rest != "" {
		if rest[0] != ':' || !isPort(rest[1:]) {
			return "", "", "", false
		}
		port = rest[1:]
		if port == defaultPort(scheme) {
			// Browsers never serialise a default port: https://x:443 was not
			// sent by one.
			return "", "", "", false
		}
	}
	return scheme, host, port, true
}

func isSchemeChar(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z':
		return true
	case first:
		return false
	case '0' <= c && c <= '9', c == '+', c == '-', c == '.':
		return true
	}
	return false
}

// isHostName reports whether h is a non-empty sequence of dot-separated,
// non-empty labels of lower-case letters, digits, '-' and '_' with no trailing
// dot, at most 253 bytes (RFC 1035 §2.3.4). A dotted-decimal IPv4 address passes
// too, since its labels are digits; whether it is canonical is checked where it
// matters, at configuration time.
func isHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	label := 0
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			label++
			if label > 63 {
				return false
			}
		case c == '.':
			if label == 0 {
				return false
			}
			label = 0
		default:
			return false
		}
	}
	return label > 0
}

// isIPv6Literal reports whether s (between the brackets) has only the characters of
// a lower-case IPv6 address. Exact IPv6 origins are compared byte for byte with the
// canonical form computed at configuration time, so this is only a syntax screen.
func isIPv6Literal(s string) bool {
	if len(s) < 2 || len(s) > 45 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || c == ':' || c == '.') {
			return false
		}
	}
	return true
}

// isPort reports whether s is a decimal port 1..65535 without leading zeros, as a
// browser serialises it.
func isPort(s string) bool {
	if s == "" || len(s) > 5 || s[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535
}

func defaultPort(scheme string) string {
	switch scheme {
	case "https", "wss":
		return "443"
	case "http", "ws":
		return "80"
	}
	return ""
}
