// Package acrh parses Access-Control-Request-Headers with bounded work.
//
// Browsers send one line of lower-case, sorted, comma-separated header names with
// no white space (Fetch §4.8, CORS-preflight fetch step 5). Intermediaries may split
// it into several lines or add optional white space, and an attacker can send
// anything: rs/cors spent quadratic time on a flood of commas (CVE-2025-47908). Scan
// therefore caps the bytes it reads and the elements it counts, empty ones included,
// and fails the preflight beyond either cap instead of reading on.
package acrh

// The caps. A real preflight names a handful of headers; 64 names of 30 bytes
// still fit.
const (
	MaxBytes    = 2048 // over all lines, white space and commas included
	MaxElements = 64   // list elements over all lines, empty ones included
)

// A Result says how a scan ended.
type Result int

const (
	OK        Result = iota // every element was allowed
	TooLarge                // more than MaxBytes or MaxElements
	Malformed               // an element is not an HTTP token (RFC 9110 §5.6.2)
	Refused                 // allow returned false for an element
)

func (r Result) String() string {
	switch r {
	case OK:
		return "ok"
	case TooLarge:
		return "too large"
	case Malformed:
		return "malformed"
	case Refused:
		return "refused"
	}
	return "unknown"
}

// Scan calls allow for every non-empty element of the header lines, with optional
// white space (space, tab) trimmed, and stops at the first element that is
// malformed or refused, which it returns with the result. It reads at most
// MaxBytes bytes, each once on the way of an allowed list, and never allocates.
func Scan(lines []string, allow func(name string) bool) (Result, string) {
	bytes, elems := 0, 0
	for _, line := range lines {
		bytes += len(line)
		if bytes > MaxBytes {
			return TooLarge, ""
		}
		i := 0
		for {
			elems++
			if elems > MaxElements {
				return TooLarge, ""
			}
			for i < len(line) && isOWS(line[i]) {
				i++
			}
			start := i
			for i < len(line) && tchar[line[i]] {
				i++
			}
			end := i
			for i < len(line) && isOWS(line[i]) {
				i++
			}
			if i < len(line) && line[i] != ',' {
				// Not a token: the element runs to the next comma.
				j := i
				for j < len(line) && line[j] != ',' {
					j++
				}
				return Malformed, trimOWS(line[start:j])
			}
			if name := line[start:end]; name != "" && !allow(name) {
				return Refused, name
			}
			if i == len(line) {
				break
			}
			i++ // the comma
		}
	}
	return OK, ""
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

func trimOWS(s string) string {
	for len(s) > 0 && isOWS(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isOWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// tchar[c] is IsTokenChar(c), for one load per byte in Scan.
var tchar = func() (t [256]bool) {
	for c := range t {
		t[c] = IsTokenChar(byte(c))
	}
	return t
}()

// isToken reports whether s is an RFC 9110 §5.6.2 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsTokenChar(s[i]) {
			return false
		}
	}
	return true
}

// IsTokenChar reports whether c is a tchar (RFC 9110 §5.6.2).
func IsTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// IsToken reports whether s is a non-empty RFC 9110 token, as header names and
// methods must be.
func IsToken(s string) bool { return isToken(s) }
