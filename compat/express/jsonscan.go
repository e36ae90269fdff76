package express

import (
	"encoding/json"
	"errors"
	"strings"
)

// A member is one "name":value pair of a JSON object, kept as the bytes it was
// read from, so that fields sesame does not know are written back byte for byte.
type member struct {
	name string // decoded
	key  []byte // the name as written, quotes included
	val  []byte // the value as written
}

var errNotObject = errors.New("not a JSON object")

// splitObject returns the members of the JSON object in b, in order. A name that
// appears twice is kept once, at its first position with its last value, as
// JavaScript's JSON.parse does (ECMA-262 §25.5.1, InternalizeJSONProperty
// through CreateDataProperty). The members alias b.
func splitObject(b []byte) ([]member, error) {
	if !json.Valid(b) {
		return nil, errors.New("not JSON")
	}
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, errNotObject
	}
	var ms []member
	i = skipWS(b, i+1)
	if b[i] == '}' {
		return ms, nil
	}
	for {
		kEnd := stringEnd(b, i)
		key := b[i:kEnd]
		i = skipWS(b, kEnd)
		i = skipWS(b, i+1) // ':'
		vEnd := valueEnd(b, i)
		m := member{name: decodeName(key), key: key, val: b[i:vEnd]}
		if j := index(ms, m.name); j >= 0 {
			ms[j].val = m.val
		} else {
			ms = append(ms, m)
		}
		i = skipWS(b, vEnd)
		if b[i] == '}' {
			return ms, nil
		}
		i = skipWS(b, i+1) // ','
	}
}

func index(ms []member, name string) int {
	for j := range ms {
		if ms[j].name == name {
			return j
		}
	}
	return -1
}

func decodeName(key []byte) string {
	if !strings.Contains(string(key), `\`) {
		return string(key[1 : len(key)-1])
	}
	var s string
	_ = json.Unmarshal(key, &s) // valid: splitObject checked the document
	return s
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string that starts at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index after the (valid) JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}

// appendObject writes members as a compact JSON object.
func appendObject(dst []byte, ms []member) []byte {
	dst = append(dst, '{')
	for i, m := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, m.key...)
		dst = append(dst, ':')
		dst = append(dst, m.val...)
	}
	return append(dst, '}')
}
