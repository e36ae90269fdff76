package mongostore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Values are kept as BSON, so that the shell shows them as documents:
//
//	{"cart": {"items": [{"sku": "A1", "qty": 2}]}, "theme": "dark"}
//
// is stored under v as that same nested document. JSON maps onto BSON this way:
// objects become documents (member order kept, names escaped as keys.go says),
// arrays arrays, strings strings, true/false/null themselves, and a number becomes
// an int32 or int64 when it is an integer that fits, else a double when the double
// prints back as the same decimal (3.14159, 6.02e23). A value that BSON cannot
// give back exactly is kept under raw instead, as its JSON text in a string: a
// number no int64 or double holds exactly (9007199254740993.5, 1e400), an escaped
// UTF-16 surrogate ("\ud83c"), text that is not UTF-8, an object with a repeated
// member name, or nesting deeper than maxDepth.

// maxDepth is the deepest nesting of arrays and objects kept as BSON; MongoDB
// refuses documents nested deeper than 100 levels, and the session document adds
// two.
const maxDepth = 64

// errNotBSON reports a JSON value that is kept as raw text.
var errNotBSON = errors.New("not representable as BSON")

// toBSON converts one JSON value into the BSON value stored under v, or returns
// errNotBSON when it must be kept as raw text.
func toBSON(raw json.RawMessage) (any, error) {
	if !utf8.Valid(raw) || hasSurrogateEscape(raw) {
		return nil, errNotBSON
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("mongostore: a session value is not one JSON document: %.40q", raw)
	}
	return v, nil
}

// hasSurrogateEscape reports whether raw holds a \uD800-\uDFFF escape: Go's JSON
// decoder turns an unpaired one into U+FFFD, which would change the value.
func hasSurrogateEscape(raw []byte) bool {
	for i := 0; ; {
		j := bytes.Index(raw[i:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += j
		// Count the backslashes before it: \\u is an escaped backslash then 'u'.
		n := 0
		for k := i - 1; k >= 0 && raw[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 && i+3 < len(raw) && (raw[i+2] == 'd' || raw[i+2] == 'D') {
			switch raw[i+3] {
			case '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'A', 'B', 'C', 'D', 'E', 'F':
				return true
			}
		}
		i += 2
	}
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("mongostore: a session value is not valid JSON: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, errNotBSON
		}
		if t == '[' {
			a := bson.A{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ]
			return a, err
		}
		d := bson.D{}
		var seen map[string]struct{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			if len(d) > 0 {
				if seen == nil {
					seen = make(map[string]struct{}, 8)
					for _, e := range d {
						seen[e.Key] = struct{}{}
					}
				}
			}
			field := escapeKey(k)
			if seen != nil {
				if _, dup := seen[field]; dup {
					return nil, errNotBSON
				}
				seen[field] = struct{}{}
			}
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			d = append(d, bson.E{Key: field, Value: v})
		}
		_, err := dec.Token() // }
		return d, err
	case json.Number:
		return bsonNumber(string(t))
	default: // string, bool, nil
		return t, nil
	}
}

// bsonNumber converts a JSON number to an int32, int64 or float64 that prints back
// as the same decimal, or returns errNotBSON.
func bsonNumber(s string) (any, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return int32(i), nil
			}
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, errNotBSON
	}
	if !sameDecimal(s, strconv.FormatFloat(f, 'g', -1, 64)) {
		return nil, errNotBSON
	}
	return f, nil
}

// sameDecimal reports whether two JSON numbers denote the same decimal value,
// comparing their digits and exponents as text (no big arithmetic: an exponent
// of a billion costs nothing).
func sameDecimal(a, b string) bool {
	na, da, ea, ok1 := normDecimal(a)
	nb, db, eb, ok2 := normDecimal(b)
	if !ok1 || !ok2 {
		return false
	}
	if da == "" || db == "" { // zero: the sign does not matter
		return da == db
	}
	return na == nb && da == db && ea == eb
}

// normDecimal writes s as ±0.digits × 10^exp with no leading or trailing zero in
// digits ("" for zero).
func normDecimal(s string) (neg bool, digits string, exp int64, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.ParseInt(expPart, 10, 32)
		if err != nil {
			return false, "", 0, false
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	all := intPart + frac
	exp += int64(len(intPart))
	// Drop leading zeros (each moves the point) and trailing zeros.
	i := 0
	for i < len(all) && all[i] == '0' {
		i++
	}
	exp -= int64(i)
	all = strings.TrimRight(all[i:], "0")
	if all == "" {
		return neg, "", 0, true
	}
	return neg, all, exp, true
}
