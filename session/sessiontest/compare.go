package sessiontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/session"
)

// precision is the finest time resolution a store must keep. PostgreSQL's
// timestamptz and interval keep microseconds, so the suite asks no more.
const precision = time.Microsecond

// sameTime reports whether a store gave back t for want: both zero, or both set
// and less than a microsecond apart (a store may truncate or round).
func sameTime(got, want time.Time) bool {
	if got.IsZero() || want.IsZero() {
		return got.IsZero() == want.IsZero()
	}
	d := got.Sub(want)
	return d > -precision && d < precision
}

func sameDuration(got, want time.Duration) bool {
	d := got - want
	return d > -precision && d < precision
}

// metaDiff describes how got differs from want, or returns "" when the store
// kept want to the precision the contract asks for.
func metaDiff(got, want session.Meta) string {
	var diffs []string
	times := []struct {
		name      string
		got, want time.Time
	}{
		{"Created", got.Created, want.Created},
		{"Touched", got.Touched, want.Touched},
		{"Absolute", got.Absolute, want.Absolute},
	}
	for _, tt := range times {
		if !sameTime(tt.got, tt.want) {
			diffs = append(diffs, fmt.Sprintf("Meta.%s: got %s, want %s (to the microsecond)",
				tt.name, fmtTime(tt.got), fmtTime(tt.want)))
		}
	}
	if !sameDuration(got.Idle, want.Idle) {
		diffs = append(diffs, fmt.Sprintf("Meta.Idle: got %v, want %v", got.Idle, want.Idle))
	}
	if got.User != want.User {
		diffs = append(diffs, fmt.Sprintf("Meta.User: got %q, want %q", got.User, want.User))
	}
	return strings.Join(diffs, "; ")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "zero time"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// valuesDiff describes how got differs from want, comparing each value as a
// JSON document, or returns "" when they hold the same documents. nil and empty
// maps are the same (session.Record says so).
func valuesDiff(got, want map[string]json.RawMessage) string {
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("Values[%q]: missing, want %s", k, abbrev(want[k])))
			continue
		}
		if !jsonEqual(g, want[k]) {
			diffs = append(diffs, fmt.Sprintf("Values[%q]: got %s, want %s", k, abbrev(g), abbrev(want[k])))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("Values[%q]: got %s, want no such key", k, abbrev(got[k])))
		}
	}
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("and %d more differences", len(diffs)-10))
	}
	return strings.Join(diffs, "; ")
}

// recordDiff combines metaDiff and valuesDiff.
func recordDiff(got, want session.Record) string {
	var diffs []string
	if d := metaDiff(got.Meta, want.Meta); d != "" {
		diffs = append(diffs, d)
	}
	if d := valuesDiff(got.Values, want.Values); d != "" {
		diffs = append(diffs, d)
	}
	return strings.Join(diffs, "; ")
}

func abbrev(b []byte) string {
	const max = 80
	if len(b) > max {
		return fmt.Sprintf("%s… (%d bytes)", b[:max], len(b))
	}
	return string(b)
}

// jsonEqual reports whether a and b are the same JSON document: equal after
// decoding, with object keys in any order, and numbers compared exactly as
// decimals (1e2 equals 100, which jsonb prints; 9007199254740993 does not equal
// 9007199254740992, which a float64 would make it).
func jsonEqual(a, b []byte) bool {
	va, ok := decode(a)
	if !ok {
		return false
	}
	vb, ok := decode(b)
	if !ok {
		return false
	}
	return sameValue(va, vb)
}

func decode(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if dec.More() { // trailing data: not one document
		return nil, false
	}
	return v, true
}

func sameValue(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
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
			vb, ok := b[k]
			if !ok || !sameValue(va, vb) {
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
	default: // string, bool, nil
		return a == b
	}
}
