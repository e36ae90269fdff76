package pgstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sesame-go/sesame/session"
)

// Session values live in two jsonb columns. data holds them as jsonb documents,
// which a DBA can query (data->'cart'). A few valid JSON documents are beyond jsonb:
// it refuses the escape \u0000, unpaired surrogate escapes (\ud800) and numbers
// beyond numeric's range (hugeNumber). Those
// values go to the column raw instead, each kept as its JSON text inside a jsonb
// string, where no escape is interpreted. A key lives in one column at a time.

// split is a set of values divided between the two columns.
type split struct {
	data, raw         []byte   // jsonb objects for each column
	dataKeys, rawKeys []string // the keys in each
}

// splitValues divides values between the columns and encodes both. It also checks
// that every name can be a jsonb key and every value is JSON in UTF-8: PostgreSQL
// would refuse anything else with a less precise message, or, for a name that is
// not UTF-8, json.Marshal would silently rename it.
func splitValues(values map[string]json.RawMessage) (split, error) {
	var sp split
	var data, raw map[string]any
	for k, v := range values {
		if err := checkValueName(k); err != nil {
			return split{}, err
		}
		if !json.Valid(v) {
			return split{}, fmt.Errorf("session value %q is not JSON: %.40q", k, v)
		}
		// RFC 8259 section 8.1: JSON exchanged between systems is UTF-8, and
		// PostgreSQL refuses anything else. json.Marshal never produces it.
		if !utf8.Valid(v) {
			return split{}, fmt.Errorf("session value %q is not valid UTF-8: %.40q", k, v)
		}
		if beyondJSONB(v) {
			if raw == nil {
				raw = make(map[string]any)
			}
			raw[k] = string(v)
			sp.rawKeys = append(sp.rawKeys, k)
			continue
		}
		if data == nil {
			data = make(map[string]any, len(values))
		}
		data[k] = v
		sp.dataKeys = append(sp.dataKeys, k)
	}
	var err error
	if sp.data, err = encodeObject(data); err != nil {
		return split{}, err
	}
	if sp.raw, err = encodeObject(raw); err != nil {
		return split{}, err
	}
	return sp, nil
}

func encodeObject(m map[string]any) ([]byte, error) {
	if len(m) == 0 {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding session values: %w", err)
	}
	return b, nil
}

// beyondJSONB reports whether v holds an escape jsonb refuses: \u0000, or a
// surrogate (\ud800-\udfff; paired ones would be accepted, but sending them to raw
// as well is simpler and just as exact). An escaped backslash followed by "u0000"
// is a false positive, harmless: the value then goes to raw, also exactly kept.
func beyondJSONB(v []byte) bool {
	return hugeNumber(v) || badEscape(v)
}

// hugeNumber reports whether v may hold a number beyond PostgreSQL's numeric
// (131072 digits before the point, 16383 after: 1e170000 fails with "value
// overflows numeric format", found by FuzzValues): an exponent of four digits or
// more, or a run of 1000 digits. Such a number goes to raw, kept exactly; the
// same bytes inside a string are a false positive, harmless for the same reason.
func hugeNumber(v []byte) bool {
	run := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if '0' <= c && c <= '9' {
			if run++; run >= 1000 {
				return true
			}
			continue
		}
		run = 0
		if c == 'e' || c == 'E' {
			j := i + 1
			if j < len(v) && (v[j] == '+' || v[j] == '-') {
				j++
			}
			k := j
			for k < len(v) && '0' <= v[k] && v[k] <= '9' {
				k++
			}
			if k-j >= 4 {
				return true
			}
		}
	}
	return false
}

// badEscape reports whether v holds \u0000 or a surrogate escape.
func badEscape(v []byte) bool {
	for {
		i := bytes.Index(v, []byte(`\u`))
		if i < 0 || len(v) < i+6 {
			return false
		}
		hex := v[i+2 : i+6]
		if string(hex) == "0000" || (hex[0]|0x20 == 'd' && (hex[1]|0x20 >= '8' && hex[1]|0x20 <= '9' || hex[1]|0x20 >= 'a' && hex[1]|0x20 <= 'f')) {
			return true
		}
		v = v[i+2:]
	}
}

// decodeValues reads the two columns back into session values. jsonb prints
// objects and arrays with a space after each ':' and ','; the Record contract wants
// compact JSON, so those values are compacted (into one buffer).
func decodeValues(data, raw []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decoding session values: %w", err)
	}
	var buf bytes.Buffer
	for k, v := range m {
		if len(v) == 0 || (v[0] != '{' && v[0] != '[') {
			continue // a scalar: jsonb prints it without spaces
		}
		if buf.Cap() == 0 {
			buf.Grow(len(data)) // compacted values never need more than data
		}
		start := buf.Len()
		if err := json.Compact(&buf, v); err != nil {
			return nil, fmt.Errorf("decoding session value %q: %w", k, err)
		}
		m[k] = buf.Bytes()[start:buf.Len():buf.Len()]
	}
	if len(raw) <= len("{}") {
		return m, nil
	}
	var texts map[string]string
	if err := json.Unmarshal(raw, &texts); err != nil {
		return nil, fmt.Errorf("decoding session values (raw): %w", err)
	}
	if m == nil {
		m = make(map[string]json.RawMessage, len(texts))
	}
	for k, text := range texts {
		m[k] = json.RawMessage(text)
	}
	return m, nil
}

// ErrName is wrapped by the error of a write whose session value name PostgreSQL
// cannot keep as it is: one with a NUL byte (jsonb keys and text cannot hold
// U+0000) or that is not valid UTF-8. The session Manager refuses such names
// before they reach a store (session.CheckKey); a caller of the store itself
// gets this error, with the name, before any query is sent. The error wraps
// session.ErrInvalidKey too, so one errors.Is test catches the refusal from
// either.
var ErrName = errors.New("pgstore: session value names must be UTF-8 without NUL bytes")

// checkValueName reports a value name PostgreSQL cannot keep byte for byte:
// exactly the names session.CheckKey refuses, the one home of that rule.
func checkValueName(name string) error {
	if err := session.CheckKey(name); err != nil {
		return fmt.Errorf("%w: %w", ErrName, err)
	}
	return nil
}

// deletions returns the names to remove from each column for a patch that
// deletes del and sets sp: the deleted names plus those set in the other column.
// Names no column can hold are left out: they were never stored. Never nil
// slices: a NULL array would make the whole column NULL.
func deletions(del []string, sp split) (data, raw []string) {
	data = make([]string, 0, len(del)+len(sp.rawKeys))
	raw = make([]string, 0, len(del)+len(sp.dataKeys))
	for _, name := range del {
		if checkValueName(name) == nil {
			data = append(data, name)
			raw = append(raw, name)
		}
	}
	return append(data, sp.rawKeys...), append(raw, sp.dataKeys...)
}

// validKey reports whether key can be a row's key: text holds UTF-8 without NUL.
// The Manager's keys always are (base64url); a key that is not was never stored.
func validKey(key string) bool {
	return utf8.ValidString(key) && strings.IndexByte(key, 0) < 0
}

// ErrKey is wrapped by the error of a Save or Move under a store key PostgreSQL
// cannot hold (a NUL byte, or not UTF-8). The Manager's keys never are.
var ErrKey = errors.New("pgstore: store keys must be UTF-8 without NUL bytes")

func checkKey(key string) error {
	if !validKey(key) {
		return fmt.Errorf("%w: %q", ErrKey, key)
	}
	return nil
}
