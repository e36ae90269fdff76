package pgstore

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// encodeValues returns values as one JSON object for a jsonb parameter. It also
// checks that every value is JSON: PostgreSQL would refuse it with a less precise
// message.
func encodeValues(values map[string]json.RawMessage) ([]byte, error) {
	if len(values) == 0 {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("encoding session values: %w", err)
	}
	return b, nil
}

// decodeValues splits the jsonb object data into session values. jsonb prints
// objects and arrays with a space after each ':' and ','; the Record contract wants
// compact JSON, so those values are compacted (into one buffer, one allocation).
func decodeValues(data []byte) (map[string]json.RawMessage, error) {
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
	return m, nil
}
