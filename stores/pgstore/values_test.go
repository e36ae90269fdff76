package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// FuzzValues sends arbitrary JSON through jsonb and back: what the store accepts it
// returns as the same document, compact; what it refuses (U+0000, which jsonb
// cannot hold) it refuses with a StoreError.
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
			if !errors.As(err, &se) {
				t.Fatalf("got %T %v, want a *session.StoreError", err, err)
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
