package sessiontest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var iteratorRules = []rule{
	{"VisitsEachLiveRecordOnce", testRangeAll},
	{"EmptyStore", testRangeEmpty},
	{"StopsAtFirstError", testRangeStop},
}

func iterator(t *testing.T, s session.Store) session.Iterator {
	t.Helper()
	it, ok := s.(session.Iterator)
	if !ok {
		t.Skipf("store %T does not implement session.Iterator", s)
	}
	return it
}

// Range calls fn once for every live record, with the record Load would return,
// and never for an expired or deleted one.
func testRangeAll(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	it := iterator(t, s)
	now := time.Now()
	want := make(map[string]session.Record)
	for i := range 20 {
		k := newKey()
		r := session.Record{Meta: liveMeta(now), Values: vals("i", fmt.Sprint(i))}
		mustSave(t, s, k, r)
		want[k] = r
	}
	var skipped []string
	for i := range 3 {
		k := newKey()
		r := session.Record{Meta: liveMeta(now), Values: vals("expired", fmt.Sprint(i))}
		r.Absolute = now.Add(-time.Second)
		mustSave(t, s, k, r)
		skipped = append(skipped, k)
	}
	deleted := newKey()
	mustSave(t, s, deleted, session.Record{Meta: liveMeta(now)})
	mustDelete(t, s, deleted)
	skipped = append(skipped, deleted)

	visits := make(map[string]int)
	err := it.Range(t.Context(), func(key string, rec session.Record) error {
		visits[key]++
		if w, ok := want[key]; ok && visits[key] == 1 {
			if d := recordDiff(rec, w); d != "" {
				t.Errorf("Range record %s: %s", key, d)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Range: got error %v, want nil", err)
	}
	for k := range want {
		if visits[k] != 1 {
			t.Errorf("Range visits of live record %s: got %d, want 1", k, visits[k])
		}
	}
	for _, k := range skipped {
		if visits[k] != 0 {
			t.Errorf("Range visits of expired or deleted record %s: got %d, want 0", k, visits[k])
		}
	}
	if len(visits) != len(want) {
		t.Errorf("Range visited keys: got %d, want %d", len(visits), len(want))
	}
}

// Range over an empty store calls fn no time and returns nil.
func testRangeEmpty(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	it := iterator(t, s)
	calls := 0
	err := it.Range(t.Context(), func(string, session.Record) error {
		calls++
		return nil
	})
	if err != nil {
		t.Errorf("Range over an empty store: got error %v, want nil", err)
	}
	if calls != 0 {
		t.Errorf("Range over an empty store: got %d calls, want 0", calls)
	}
}

// Range stops at the first error fn returns and returns it.
func testRangeStop(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	it := iterator(t, s)
	now := time.Now()
	for i := range 10 {
		mustSave(t, s, newKey(), session.Record{Meta: liveMeta(now), Values: vals("i", fmt.Sprint(i))})
	}
	errStop := errors.New("stop here")
	calls := 0
	err := it.Range(t.Context(), func(string, session.Record) error {
		calls++
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Errorf("Range when fn fails: got error %v, want %v", err, errStop)
	}
	if calls != 1 {
		t.Errorf("Range when fn fails at once: got %d calls, want 1", calls)
	}
}
