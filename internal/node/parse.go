package node

import (
	"bytes"
	"encoding/json"
	"strings"
)

// An Value is one entry of cookie-parser's req.cookies or
// req.signedCookies.
type Value struct {
	// Value is the string cookie-parser holds: URL-decoded as the Node cookie
	// package decodes (DecodeCookieValue), and for a signed cookie the verified
	// payload without "s:" and signature. Empty when BadSignature.
	Value string
	// JSON is the decoded value of a "j:" cookie (Express writes objects as
	// "j:" + JSON): non-nil only when the rest parses as JSON and is truthy in
	// JavaScript terms, as cookie-parser's JSONCookies decides. Objects are
	// map[string]any, arrays []any, numbers float64.
	JSON any
	// BadSignature is cookie-parser's false: a value starting with "s:" that no
	// secret verifies.
	BadSignature bool
}

// Express returns the value as an Express handler sees it: false for a bad
// signature, the decoded JSON, or the string.
func (v Value) Express() any {
	switch {
	case v.BadSignature:
		return false
	case v.JSON != nil:
		return v.JSON
	}
	return v.Value
}

// ParseCookies reproduces cookie-parser (1.4) over the Node cookie package (0.7):
// what an Express route finds in req.cookies and req.signedCookies for the given
// Cookie header value. secrets may be nil (cookieParser() without a secret: "s:"
// values then stay plain strings in cookies and signed is empty).
//
// The rules, from the packages' source:
//   - pairs are split at ';' and at the first '='; a pair without '=' is
//     skipped; spaces and tabs around names and values are trimmed; the first
//     cookie of a name wins;
//   - one pair of surrounding double quotes is removed;
//   - a value holding '%' is decodeURIComponent-decoded, or kept raw when that
//     throws (DecodeCookieValue);
//   - with secrets, every value starting with "s:" moves to signed: its verified
//     payload, or BadSignature;
//   - in both maps, a value starting with "j:" is replaced by its JSON when that
//     parses and is truthy (so "j:0", "j:false", "j:null", `j:""` stay strings).
//
// Node decodes header bytes as Latin-1, where Go sees UTF-8: raw non-ASCII bytes
// in a header (which browsers do not send for values Express wrote) may decode
// differently.
func ParseCookies(header string, secrets *Secrets) (cookies, signed map[string]Value) {
	cookies = make(map[string]Value)
	signed = make(map[string]Value)
	nodeParse(header, func(name, value string) {
		if _, dup := cookies[name]; !dup {
			cookies[name] = Value{Value: DecodeCookieValue(value)}
		}
	})
	if secrets != nil {
		for name, v := range cookies {
			if !strings.HasPrefix(v.Value, "s:") {
				continue
			}
			delete(cookies, name)
			if payload, _, ok := secrets.Unsign(v.Value[2:]); ok {
				signed[name] = Value{Value: payload}
			} else {
				signed[name] = Value{BadSignature: true}
			}
		}
	}
	for _, m := range []map[string]Value{cookies, signed} {
		for name, v := range m {
			if !v.BadSignature {
				if j, ok := DecodeJSONCookie(v.Value); ok {
					v.JSON = j
					m[name] = v
				}
			}
		}
	}
	return cookies, signed
}

// nodeParse walks a Cookie header as the Node cookie package's parse (0.7)
// does, calling fn with each name and undecoded value, duplicates included. It
// keeps that parser's quirks: a piece without '=' is skipped (by backtracking to
// the piece that holds the next '='), only spaces and tabs are trimmed, and one
// pair of surrounding double quotes is removed.
func nodeParse(str string, fn func(name, value string)) {
	if len(str) < 2 { // `if (len < 2) return obj`
		return
	}
	index := 0
	for index < len(str) {
		eq := strings.IndexByte(str[index:], '=')
		if eq < 0 {
			return
		}
		eqIdx := index + eq
		endIdx := strings.IndexByte(str[index:], ';')
		if endIdx < 0 {
			endIdx = len(str)
		} else {
			endIdx += index
			if eqIdx > endIdx {
				// backtrack on prior semicolon
				index = strings.LastIndexByte(str[:eqIdx], ';') + 1
				continue
			}
		}
		keyStart := skipWSP(str, index, eqIdx)
		keyEnd := backWSP(str, eqIdx, keyStart)
		valStart := skipWSP(str, eqIdx+1, endIdx)
		valEnd := backWSP(str, endIdx, valStart)
		if valStart < len(str) && str[valStart] == '"' && valEnd > 0 && str[valEnd-1] == '"' {
			valStart++
			valEnd--
		}
		value := ""
		if valStart < valEnd { // JavaScript's slice(start, end) is "" when start >= end
			value = str[valStart:valEnd]
		}
		fn(str[keyStart:keyEnd], value)
		index = endIdx + 1
	}
}

// skipWSP is cookie@0.7's startIndex: the first index in [i, max) that is not a
// space or tab, or max.
func skipWSP(s string, i, max int) int {
	for ; i < max; i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return i
		}
	}
	return max
}

// backWSP is cookie@0.7's endIndex: the end of s[min:i] without trailing spaces
// and tabs.
func backWSP(s string, i, min int) int {
	for i > min {
		if s[i-1] != ' ' && s[i-1] != '\t' {
			return i
		}
		i--
	}
	return min
}

// DecodeJSONCookie decodes a cookie-parser "j:" value: ok only when value starts
// with "j:", the rest parses as JSON, and the result is truthy in JavaScript (not
// null, false, 0 or ""), as cookie-parser's JSONCookie and JSONCookies decide.
func DecodeJSONCookie(value string) (v any, ok bool) {
	if !strings.HasPrefix(value, "j:") {
		return nil, false
	}
	if err := json.Unmarshal([]byte(value[2:]), &v); err != nil {
		return nil, false
	}
	if !truthy(v) {
		return nil, false
	}
	return v, true
}

// truthy is JavaScript's ToBoolean for a JSON.parse result.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	}
	return true // objects and arrays, empty ones included
}

// JSONCookie returns "j:" + JSON.stringify(v), what res.cookie writes for an
// object, before URL-encoding: no HTML escaping, no trailing newline. Map keys
// come out sorted (encoding/json), where JavaScript keeps insertion order: use a
// struct or json.RawMessage for a given order.
func JSONCookie(v any) (string, error) {
	var b bytes.Buffer
	b.WriteString("j:")
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
