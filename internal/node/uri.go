package node

import (
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// uriUnreserved marks the bytes JavaScript's encodeURIComponent leaves alone
// (ECMA-262 §19.2.6.5): A-Z a-z 0-9 - _ . ! ~ * ' ( ).
var uriUnreserved = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "-_.!~*'()" {
		t[c] = true
	}
	return t
}()

// EncodeURIComponent encodes s as JavaScript's encodeURIComponent does, the
// encoding Express and the Node cookie package apply to every cookie value:
// UTF-8 bytes outside A-Z a-z 0-9 - _ . ! ~ * ' ( ) become %XX (upper-case hex).
// A space is %20 and '+' is %2B, which is where url.QueryEscape differs. Invalid
// UTF-8 (which a JavaScript string cannot hold) is encoded byte by byte. The
// result is made of cookie-octets.
func EncodeURIComponent(s string) string {
	i := 0
	for i < len(s) && uriUnreserved[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	return string(AppendEncodeURIComponent(make([]byte, 0, len(s)+16), s))
}

// AppendEncodeURIComponent is EncodeURIComponent appending to dst.
func AppendEncodeURIComponent(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if uriUnreserved[b] {
			dst = append(dst, b)
		} else {
			dst = append(dst, '%', upperHex[b>>4], upperHex[b&15])
		}
	}
	return dst
}

// DecodeURIComponent decodes s as JavaScript's decodeURIComponent does: every
// %XX is decoded ('+' stays '+'), and the result must be valid UTF-8. ok is false
// where JavaScript throws: a '%' not followed by two hex digits, or bytes that are
// not UTF-8 (decodeURIComponent("%FF") throws URIError). A string without '%' is
// returned as is.
func DecodeURIComponent(s string) (decoded string, ok bool) {
	n := strings.Count(s, "%")
	if n == 0 {
		return s, true
	}
	buf, ok := AppendDecodeURIComponent(make([]byte, 0, max(len(s)-2*n, 0)), s)
	if !ok {
		return "", false
	}
	return string(buf), true
}

// AppendDecodeURIComponent appends the decoding of s to dst as
// DecodeURIComponent does, for callers that decode into a buffer of their own.
// ok is false where JavaScript's decodeURIComponent throws; dst is then partly
// written.
func AppendDecodeURIComponent(dst []byte, s string) ([]byte, bool) {
	start := len(dst)
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			dst = append(dst, s[i])
			continue
		}
		if i+2 >= len(s) {
			return dst, false
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return dst, false
		}
		dst = append(dst, hi<<4|lo)
		i += 2
	}
	return dst, utf8.Valid(dst[start:])
}

// DecodeCookieValue decodes a cookie value as the Node cookie package (0.7) does
// for Express, express-session and cookie-parser: only when it holds a '%', with
// decodeURIComponent, keeping the raw value when that throws.
func DecodeCookieValue(raw string) string {
	if d, ok := DecodeURIComponent(raw); ok {
		return d
	}
	return raw
}

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
