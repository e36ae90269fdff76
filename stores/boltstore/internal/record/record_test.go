package record_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore/internal/record"
)

func sameRecord(t *testing.T, got, want session.Record) {
	t.Helper()
	if !got.Created.Equal(want.Created) || !got.Touched.Equal(want.Touched) ||
		!got.Absolute.Equal(want.Absolute) || got.Idle != want.Idle || got.User != want.User {
		t.Errorf("got meta %+v, want %+v", got.Meta, want.Meta)
	}
	if got.Created.IsZero() != want.Created.IsZero() || got.Absolute.IsZero() != want.Absolute.IsZero() {
		t.Errorf("got zero-ness %v/%v, want %v/%v", got.Created.IsZero(), got.Absolute.IsZero(), want.Created.IsZero(), want.Absolute.IsZero())
	}
	if !maps.EqualFunc(got.Values, want.Values, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
		t.Errorf("got values %q, want %q", got.Values, want.Values)
	}
}

func TestRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 22, 5, 30, 0, 123456789, time.UTC)
	tests := []struct {
		name string
		rec  session.Record
	}{
		{"zero", session.Record{}},
		{"anonymous", session.Record{Meta: session.Meta{Created: now, Touched: now, Idle: time.Hour}}},
		{"full", session.Record{
			Meta: session.Meta{Created: now.Add(-time.Hour), Touched: now, Idle: 30 * time.Minute,
				Absolute: now.Add(24 * time.Hour), User: "ada@example.com"},
			Values: map[string]json.RawMessage{"cart": []byte(`[1,2,3]`), "theme": []byte(`"dark"`), "": []byte(`null`)},
		}},
		{"before 1970", session.Record{Meta: session.Meta{Created: time.Date(1900, 1, 1, 0, 0, 0, 1, time.UTC)}}},
		{"far future", session.Record{Meta: session.Meta{Absolute: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}}},
		{"negative idle", session.Record{Meta: session.Meta{Idle: -time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := record.Encode(nil, tt.rec)
			got, err := record.Decode(b)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			sameRecord(t, got, tt.rec)
			meta, err := record.DecodeMeta(b)
			if err != nil {
				t.Fatalf("DecodeMeta: got error %v, want nil", err)
			}
			sameRecord(t, session.Record{Meta: meta, Values: tt.rec.Values}, tt.rec)
		})
	}
}

// TestDecodeCopies checks that a decoded record does not alias its source: bbolt
// reuses that memory once the transaction ends.
func TestDecodeCopies(t *testing.T) {
	b := record.Encode(nil, session.Record{Values: map[string]json.RawMessage{"k": []byte(`"v"`)}})
	rec, err := record.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 'x'
	}
	if got := string(rec.Values["k"]); got != `"v"` {
		t.Errorf("got %q after overwriting the source, want %q", got, `"v"`)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	good := record.Encode(nil, session.Record{Meta: session.Meta{User: "u"}, Values: map[string]json.RawMessage{"k": []byte(`1`)}})
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"other version", append([]byte{2}, good[1:]...)},
		{"truncated", good[:len(good)-1]},
		{"trailing", append(append([]byte(nil), good...), 0)},
		{"huge count", append(record.Encode(nil, session.Record{})[:len(record.Encode(nil, session.Record{}))-1], 0xff, 0xff, 0xff, 0xff, 0x0f)},
		{"bad nanoseconds", []byte{1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := record.Decode(tt.b)
			if !errors.Is(err, record.ErrCorrupt) {
				t.Errorf("got error %v, want one wrapping ErrCorrupt", err)
			}
		})
	}
}

// FuzzDecode checks that Decode never panics on a corrupt file, and that whatever
// it accepts encodes to something that decodes to the same record.
func FuzzDecode(f *testing.F) {
	f.Add(record.Encode(nil, session.Record{}))
	f.Add(record.Encode(nil, session.Record{
		Meta:   session.Meta{Created: time.Unix(1700000000, 5), Idle: time.Minute, User: "u"},
		Values: map[string]json.RawMessage{"a": []byte(`{"b":[1]}`), "c": []byte(`true`)},
	}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := record.Decode(b)
		if err != nil {
			if !errors.Is(err, record.ErrCorrupt) {
				t.Fatalf("got error %v, want one wrapping ErrCorrupt", err)
			}
			return
		}
		again, err := record.Decode(record.Encode(nil, rec))
		if err != nil {
			t.Fatalf("re-decoding: got error %v, want nil", err)
		}
		sameRecord(t, again, rec)
	})
}

func BenchmarkDecode(b *testing.B) {
	now := time.Now()
	buf := record.Encode(nil, session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "ada@example.com"},
		Values: map[string]json.RawMessage{"cart": []byte(`[1,2,3]`), "theme": []byte(`"dark"`), "csrf": []byte(`"0123456789abcdef"`)},
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := record.Decode(buf); err != nil {
			b.Fatal(err)
		}
	}
}
