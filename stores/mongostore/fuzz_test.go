package mongostore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
)

// FuzzValues sends arbitrary JSON under an arbitrary name through the store, once
// by Save and once by Patch, and back: it must come back as the same document,
// numbers exact (as BSON where BSON holds it, else as raw JSON text), the name
// byte for byte.
func FuzzValues(f *testing.F) {
	for _, seed := range []string{`1`, `"s"`, `{"a":[1,{"b":null}]}`, `[ 1 , 2 ]`, `"\u00e9\/"`, `1e2`, `"\u0000"`,
		`{"a":1,"a":2}`, `9007199254740993`, `-0`, `1e400`, `0.1000000000000000055511151231257827`, `"\ud83c"`,
		`{"a.b":{"$c":[]}}`, `-9223372036854775809`, `1E-7`} {
		f.Add("k", []byte(seed))
	}
	f.Add("", []byte(`"empty name"`))
	f.Add("a.b$%2E\x00", []byte(`{"%":{"":1}}`))
	s := newStore(f, embedded.URL(), mongostore.Config{})
	ctx := context.Background()
	meta := session.Meta{Touched: time.Now(), Idle: time.Hour}
	f.Fuzz(func(t *testing.T, name string, value []byte) {
		if !json.Valid(value) || !utf8.ValidString(name) || !utf8.Valid(value) {
			return // the Manager stores JSON it encoded, under valid key names
		}
		key := newKey()
		if err := s.Save(ctx, key, session.Record{Meta: meta, Values: map[string]json.RawMessage{"x": json.RawMessage(`1`), name: value}}); err != nil {
			t.Fatalf("Save(%q: %s): %v", name, value, err)
		}
		check := func(how string) {
			rec, found, err := s.Load(ctx, key)
			if err != nil || !found {
				t.Fatalf("%s: Load: got found=%v err=%v, want the record", how, found, err)
			}
			got, ok := rec.Values[name]
			if !ok {
				t.Fatalf("%s: got values %q, want key %q", how, rec.Values, name)
			}
			if !sameJSON(got, value) {
				t.Errorf("%s: got %s, want the document %s", how, got, value)
			}
		}
		check("Save")
		if name == "x" {
			return
		}
		if _, err := s.Patch(ctx, key, session.Patch{Meta: meta, Delete: []string{name}}); err != nil {
			t.Fatalf("Patch delete: %v", err)
		}
		if ok, err := s.Patch(ctx, key, session.Patch{Meta: meta, Set: map[string]json.RawMessage{name: value}}); !ok || err != nil {
			t.Fatalf("Patch(%q: %s): got %v, %v", name, value, ok, err)
		}
		check("Patch")
	})
}

// sameJSON reports whether a and b are the same JSON document, numbers compared
// as exact decimals.
func sameJSON(a, b []byte) bool {
	va, ok1 := decodeNumbers(a)
	vb, ok2 := decodeNumbers(b)
	return ok1 && ok2 && sameValue(va, vb)
}

func decodeNumbers(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	return v, dec.Decode(&v) == nil
}

func sameValue(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		if a == b {
			return true
		}
		if len(a) > 400 || len(b) > 400 || hugeExponent(string(a)) || hugeExponent(string(b)) {
			return false
		}
		ra, ok1 := new(big.Rat).SetString(string(a))
		rb, ok2 := new(big.Rat).SetString(string(b))
		return ok1 && ok2 && ra.Cmp(rb) == 0
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, va := range a {
			if vb, ok := b[k]; !ok || !sameValue(va, vb) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

// hugeExponent reports an exponent big.Rat would take long to expand.
func hugeExponent(s string) bool {
	i := strings.IndexAny(s, "eE")
	return i >= 0 && len(strings.TrimLeft(s[i+1:], "+-0")) > 4
}
