package express

import (
	"unicode/utf8"
)

// appendJSString appends s as JavaScript's JSON.stringify writes a string
// (ECMA-262 §25.5.2.3 QuoteJSONString): '"' and '\' escaped, \b \f \n \r \t
// short, other controls as \u00xx, and everything else raw, '<', '>', '&',
// U+2028 and U+2029 included. Bytes that are not UTF-8 (no JavaScript string
// holds them) become U+FFFD, as encoding/json does.
func appendJSString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, "\ufffd"...)
			} else {
				dst = append(dst, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			if c < 0x20 {
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			} else {
				dst = append(dst, c)
			}
		}
		i++
	}
	return append(dst, '"')
}

// appendJSStyle appends the JSON document raw (as encoding/json writes it) the
// way JSON.stringify would have written the same value, so that records Go
// writes are byte-identical to connect-redis's: the escapes \u003c \u003e
// \u0026 \u2028 \u2029 that encoding/json adds become the characters, and -0
// becomes 0. Every other byte is copied: both write the same numbers
// (encoding/json formats float64 as ECMAScript's Number::toString does) and the
// same escapes for controls, quotes and backslashes.
func appendJSStyle(dst []byte, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			end := stringEnd(raw, i)
			dst = appendJSStringBody(dst, raw[i:end])
			i = end - 1
		case c == '-' && i+1 < len(raw) && raw[i+1] == '0' && (i+2 == len(raw) || !isNumberByte(raw[i+2])):
			// JSON.stringify(-0) is "0" (Number::toString(-0) is "0").
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// appendJSStringBody copies the JSON string s (quotes included), turning the
// \u escapes JSON.stringify never writes back into characters.
func appendJSStringBody(dst []byte, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			dst = append(dst, s[i])
			continue
		}
		if s[i+1] == 'u' && i+6 <= len(s) {
			if r, ok := htmlEscape(s[i+2 : i+6]); ok {
				dst = utf8.AppendRune(dst, r)
				i += 5
				continue
			}
		}
		dst = append(dst, s[i], s[i+1])
		i++
	}
	return dst
}

// htmlEscape reports the character of the 4 hex digits h when it is one that
// encoding/json escapes and JSON.stringify does not.
func htmlEscape(h []byte) (rune, bool) {
	var r rune
	for _, c := range h {
		d, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	switch r {
	case '<', '>', '&', '\u2028', '\u2029':
		return r, true
	}
	return 0, false
}

// JSStyle returns the JSON document raw as JavaScript's JSON.stringify writes
// the same value, for JSON that encoding/json wrote: without the \u003c, \u003e,
// \u0026, \u2028 and \u2029 escapes, and with 0 for -0. Object keys keep their
// order.
func JSStyle(raw []byte) []byte { return appendJSStyle(make([]byte, 0, len(raw)), raw) }

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
