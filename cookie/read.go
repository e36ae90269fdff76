package cookie

import (
	"iter"
	"net/http"
	"strings"
)

// Get returns the value of the first cookie called name in r's Cookie header
// fields, and whether there is one. It does not allocate.
//
// The value is returned as sent, with surrounding spaces and tabs removed
// (RFC 6265bis §5.6); double quotes are kept, and nothing is decoded.
//
// Duplicates: the first wins. A browser sends cookies with longer paths first
// (RFC 6265bis §5.8.3 step 2), so the first is the most specific one; it is also
// what Express (the cookie package), net/http and most frameworks pick. A second
// cookie of the same name usually means one was set with another Domain or Path:
// compare with All to detect it.
func Get(r *http.Request, name string) (value string, ok bool) {
	for _, line := range r.Header["Cookie"] {
		if v, ok := Lookup(line, name); ok {
			return v, true
		}
	}
	return "", false
}

// Lookup is Get for one Cookie header value.
func Lookup(header, name string) (value string, ok bool) {
	for {
		n, v, rest, ok := nextPair(header)
		if !ok {
			return "", false
		}
		if n == name {
			return v, true
		}
		header = rest
	}
}

// A Pair is one cookie of a Cookie request header.
type Pair struct {
	Name, Value string
}

// Parse returns every cookie in a Cookie header value, in order, duplicates
// included (see Pairs for the rules).
func Parse(header string) []Pair {
	var out []Pair
	for n, v := range Pairs(header) {
		out = append(out, Pair{n, v})
	}
	return out
}

// All returns every cookie in r's Cookie header fields, in order, duplicates
// included. (HTTP/2 may split the header into several fields, RFC 9113 §8.2.3.)
func All(r *http.Request) []Pair {
	var out []Pair
	for _, line := range r.Header["Cookie"] {
		for n, v := range Pairs(line) {
			out = append(out, Pair{n, v})
		}
	}
	return out
}

// Pairs iterates over the name/value pairs of a Cookie header value without
// allocating, the way a user agent reads a cookie string (RFC 6265bis §5.6): the
// header is split at ';'; each piece is split at its first '='; spaces and tabs
// around the name and the value are removed. A piece without '=' is a cookie
// with an empty name whose value is the whole piece (what a browser sends for a
// nameless cookie); an empty piece is skipped. Names and values are not checked
// against the cookie grammar: a server reads what browsers send.
func Pairs(header string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for {
			name, value, rest, ok := nextPair(header)
			if !ok || !yield(name, value) {
				return
			}
			header = rest
		}
	}
}

// nextPair returns the first pair of header and what follows it; ok is false
// when no pair is left. It is the whole parser, shared by Pairs and Lookup.
func nextPair(header string) (name, value, rest string, ok bool) {
	for header != "" {
		piece := header
		if i := strings.IndexByte(header, ';'); i >= 0 {
			piece, header = header[:i], header[i+1:]
		} else {
			header = ""
		}
		if eq := strings.IndexByte(piece, '='); eq >= 0 {
			return trimWSP(piece[:eq]), trimWSP(piece[eq+1:]), header, true
		}
		if v := trimWSP(piece); v != "" {
			return "", v, header, true
		}
	}
	return "", "", "", false
}

// trimWSP removes spaces and horizontal tabs at both ends.
func trimWSP(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
