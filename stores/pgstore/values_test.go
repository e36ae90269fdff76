package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// FuzzValues sends arbitrary JSON through the store and back: it comes back as the
// same document, compact. Only a value name holding U+0000 (jsonb object keys
// cannot hold it) or a value that is not UTF-8 (RFC 8259 section 8.1) may be
// refused, and then with a StoreError.
func FuzzValues(f *testing.F) {
	for _, seed := range []string{`1`, `"s"`, `{"a":[1,{"b":null}]}`, `[ 1 , 2 ]`, `"\u00e9\/"`, `1e2`, `"\u0000"`, `{"a":1,"a":2}`} {
		f.Add("k", []byte(seed))
	}
	s := newStore(f, pgstore.Config{})
	key := newKey()
	ctx := context.Background()
	meta := session.Meta{Touched: time.Now(), Idle: time.Hour}
	f.Fuzz(func(t *testing.T, name string, value []byte) {
		if !json.Valid(value) || !utf8.ValidString(name) {
			return // the Manager only stores JSON it encoded, under Go string keys
		}
		err := s.Save(ctx, key, session.Record{Meta: meta, Values: map[string]json.RawMessage{name: value}})
		if err != nil {
			var se *session.StoreError
			if !errors.As(err, &se) || (!strings.ContainsRune(name, 0) && utf8.Valid(value)) {
				t.Fatalf("Save(%q: %s): got %T %v, want nil", name, value, err, err)
			}
			return
		}
		rec, found, err := s.Load(ctx, key)
		if err != nil || !found {
			t.Fatalf("got found=%v err=%v, want the record just saved", found, err)
		}
		got, ok := rec.Values[name]
		if !ok || len(rec.Values) != 1 {
			t.Fatalf("got values %q, want only key %q", rec.Values, name)
		}
		var want, have any
		if json.Unmarshal(value, &want) != nil {
			return // a number beyond float64: nothing to compare with
		}
		if err := json.Unmarshal(got, &have); err != nil {
			t.Fatalf("got %q, not JSON: %v", got, err)
		}
		if !reflect.DeepEqual(have, want) {
			t.Errorf("got %s, want the document %s", got, value)
		}
		var compact bytes.Buffer
		if json.Compact(&compact, got); compact.String() != string(got) {
			t.Errorf("got %s, want it compact: %s", got, compact.String())
		}
	})
}
