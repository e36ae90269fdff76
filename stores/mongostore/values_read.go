package mongostore

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// decodeValues rebuilds a record's Values from its v and raw documents (either
// may be empty). A member of raw wins over one of v with the same name; the
// store never writes both.
func decodeValues(v, raw bson.Raw) (map[string]json.RawMessage, error) {
	var out map[string]json.RawMessage
	if len(v) > 0 {
		elems, err := v.Elements()
		if err != nil {
			return nil, err
		}
		out = make(map[string]json.RawMessage, len(elems))
		for _, e := range elems {
			name, _ := unescapeKey(e.Key())
			b, err := appendJSON(nil, e.Value(), 0)
			if err != nil {
				return nil, fmt.Errorf("value %q: %w", name, err)
			}
			out[name] = b
		}
	}
	if len(raw) > 0 {
		elems, err := raw.Elements()
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make(map[string]json.RawMessage, len(elems))
		}
		for _, e := range elems {
			name, _ := unescapeKey(e.Key())
			s, ok := e.Value().StringValueOK()
			if !ok || !json.Valid([]byte(s)) {
				return nil, fmt.Errorf("value %q under raw is not a string of JSON text", name)
			}
			out[name] = json.RawMessage(s)
		}
	}
	return out, nil
}

// appendJSON appends the JSON form of one BSON value. Besides the types the store
// writes, it reads the ones a person may put there from the shell: dates (as
// RFC 3339 strings), ObjectIDs (as hex strings) and Decimal128 numbers.
func appendJSON(dst []byte, rv bson.RawValue, depth int) ([]byte, error) {
	if depth > 200 {
		return nil, fmt.Errorf("nested deeper than 200 levels")
	}
	switch rv.Type {
	case bson.TypeString:
		return appendString(dst, rv.StringValue()), nil
	case bson.TypeInt32:
		return strconv.AppendInt(dst, int64(rv.Int32()), 10), nil
	case bson.TypeInt64:
		return strconv.AppendInt(dst, rv.Int64(), 10), nil
	case bson.TypeDouble:
		f := rv.Double()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("the double %v has no JSON form", f)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64), nil
	case bson.TypeBoolean:
		return strconv.AppendBool(dst, rv.Boolean()), nil
	case bson.TypeNull, bson.TypeUndefined:
		return append(dst, "null"...), nil
	case bson.TypeEmbeddedDocument:
		elems, err := rv.Document().Elements()
		if err != nil {
			return nil, err
		}
		dst = append(dst, '{')
		for i, e := range elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			name, _ := unescapeKey(e.Key())
			dst = appendString(dst, name)
			dst = append(dst, ':')
			if dst, err = appendJSON(dst, e.Value(), depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	case bson.TypeArray:
		vals, err := rv.Array().Values()
		if err != nil {
			return nil, err
		}
		dst = append(dst, '[')
		for i, v := range vals {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendJSON(dst, v, depth+1); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case bson.TypeDateTime:
		return appendString(dst, rv.Time().UTC().Format(time.RFC3339Nano)), nil
	case bson.TypeObjectID:
		return appendString(dst, rv.ObjectID().Hex()), nil
	case bson.TypeDecimal128:
		s := rv.Decimal128().String()
		if !json.Valid([]byte(s)) {
			return nil, fmt.Errorf("the decimal %s has no JSON form", s)
		}
		return append(dst, s...), nil
	}
	return nil, fmt.Errorf("BSON type %v has no JSON form", rv.Type)
}

// appendString appends s as a JSON string, escaping only what JSON requires.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, `\u00`...)
			dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
