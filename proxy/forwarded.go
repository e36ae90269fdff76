package proxy

import (
	"net/netip"
	"strings"
)

// This file reads the Forwarded header of RFC 7239:
//
//	Forwarded   = 1#forwarded-element
//	forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
//	forwarded-pair    = token "=" value
//	value             = token / quoted-string
//
// with the parameters for= (the node that sent the request to the proxy), by=
// (the proxy's own interface), proto= and host=. Parameter names are
// case-insensitive (§4) and each may occur once per element (§4). A node (§6)
// is an IPv4 address, a bracketed IPv6 address (which must be quoted, as ":" is
// not a token character), "unknown", or an obfuscated identifier "_..." (§6.3),
// optionally with a port. The parser is lenient in one way only: an unquoted
// value may hold characters a token may not (for=2001:db8::1, host=a.example:8080),
// as common proxy configurations write them; what the value means is checked
// afterwards just as strictly.

// splitElement finds where the last element of s begins: after the last comma
// that is not inside a quoted string. It scans backwards, so it reads the
// elements your proxies appended on the right before anything a client wrote on
// the left. Inside a quoted string, a quote preceded by an odd number of
// backslashes is escaped (a quoted-pair, RFC 9110 §5.6.4).
func splitElement(s string) (int, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ',':
			return i + 1, true
		case '"':
			// The closing quote of a quoted string: find its opening quote.
			j := i - 1
			for ; j >= 0; j-- {
				if s[j] == '"' && backslashesBefore(s, j)%2 == 0 {
					break
				}
			}
			if j < 0 {
				return 0, false
			}
			i = j
		}
	}
	return 0, true
}

func backslashesBefore(s string, i int) int {
	n := 0
	for i--; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n
}

// element holds the parameters of one forwarded-element, still quoted: a value
// with quoted-pairs is unescaped only when it is used.
type element struct {
	forNode, by, proto, host value
}

type value struct {
	raw     string // between the quotes for a quoted string
	escaped bool   // raw holds a quoted-pair
	set     bool
}

// text returns the value with quoted-pairs resolved. It allocates only for a
// value that has them, which no proxy writes for an address or a scheme.
func (v value) text() string {
	if !v.escaped {
		return v.raw
	}
	var b strings.Builder
	b.Grow(len(v.raw))
	for i := 0; i < len(v.raw); i++ {
		if v.raw[i] == '\\' && i+1 < len(v.raw) {
			i++
		}
		b.WriteByte(v.raw[i])
	}
	return b.String()
}

// parseElement reads one forwarded-element. ok false means it is malformed (bad
// syntax, a control character, a parameter twice); the walk then stops there.
// Unknown parameters (extensions, §5.5) are checked for syntax and ignored.
func parseElement(s string) (el element, ok bool) {
	i := 0
	for {
		i = skipOWS(s, i)
		if i == len(s) {
			return el, true
		}
		if s[i] == ';' { // an empty pair: "[ forwarded-pair ]" allows it
			i++
			continue
		}
		start := i
		for i < len(s) && isTchar(s[i]) {
			i++
		}
		if i == start || i == len(s) || s[i] != '=' {
			return el, false
		}
		name := s[start:i]
		i++
		var v value
		if v, i, ok = parseValue(s, i); !ok {
			return el, false
		}
		i = skipOWS(s, i)
		if i < len(s) && s[i] != ';' {
			return el, false
		}
		var slot *value
		switch {
		case strings.EqualFold(name, "for"):
			slot = &el.forNode
		case strings.EqualFold(name, "by"):
			slot = &el.by
		case strings.EqualFold(name, "proto"):
			slot = &el.proto
		case strings.EqualFold(name, "host"):
			slot = &el.host
		default:
			continue
		}
		if slot.set {
			return el, false // §4: each parameter at most once per element
		}
		*slot = v
	}
}

// parseValue reads a token or quoted-string starting at s[i] and returns the
// index after it.
func parseValue(s string, i int) (value, int, bool) {
	if i < len(s) && s[i] == '"' {
		v := value{set: true}
		start := i + 1
		for j := start; j < len(s); j++ {
			switch c := s[j]; {
			case c == '"':
				v.raw = s[start:j]
				return v, j + 1, true
			case c == '\\':
				j++
				if j == len(s) || !isQuotedPairChar(s[j]) {
					return v, 0, false
				}
				v.escaped = true
			case !isQdtext(c):
				return v, 0, false
			}
		}
		return v, 0, false // unterminated
	}
	start := i
	for i < len(s) && s[i] != ';' && s[i] != ' ' && s[i] != '\t' {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == ',' {
			return value{}, 0, false
		}
		i++
	}
	if i == start {
		return value{}, 0, false
	}
	return value{raw: s[start:i], set: true}, i, true
}

func skipOWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isTchar reports a token character (RFC 9110 §5.6.2).
func isTchar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isQdtext and isQuotedPairChar follow RFC 9110 §5.6.4 (obs-text included).
func isQdtext(c byte) bool {
	return c == '\t' || c == ' ' || c == 0x21 || (0x23 <= c && c <= 0x5b) || (0x5d <= c && c <= 0x7e) || c >= 0x80
}

func isQuotedPairChar(c byte) bool {
	return c == '\t' || (0x20 <= c && c != 0x7f)
}

// nodeKind classifies a for= node.
type nodeKind int

const (
	nodeAddr    nodeKind = iota // an IP address, with or without port
	nodeUnknown                 // "unknown" (§6.2) or no for= at all
	nodeHidden                  // an obfuscated identifier "_..." (§6.3)
	nodeInvalid                 // anything else
)

// parseNode reads a for= node. "unknown" and obfuscated nodes name a hop whose
// address we cannot know, so they can never be the client IP; the walk treats
// them, like an invalid node, as "stop here".
func parseNode(v value) (netip.Addr, nodeKind) {
	if !v.set {
		return netip.Addr{}, nodeUnknown
	}
	s := v.text()
	switch {
	case strings.EqualFold(s, "unknown"):
		return netip.Addr{}, nodeUnknown
	case len(s) > 1 && s[0] == '_':
		node, port, hasPort := strings.Cut(s[1:], ":")
		if validObfuscated(node) && (!hasPort || validPort(port, true)) {
			return netip.Addr{}, nodeHidden
		}
		return netip.Addr{}, nodeInvalid
	}
	if a, ok := parseHostPort(s, true); ok {
		return a, nodeAddr
	}
	return netip.Addr{}, nodeInvalid
}
