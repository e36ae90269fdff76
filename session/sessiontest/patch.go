package sessiontest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var patchRules = []rule{
	{"SetDeleteKeep", testPatchSetDeleteKeep},
	{"DeleteAbsentKey", testPatchDeleteAbsent},
	{"MissingRecord", testPatchMissing},
	{"DeletedRecord", testPatchDeleted},
	{"ExpiredRecordNotResurrected", testPatchExpired},
	{"ExtendExpiry", testPatchExtend},
	{"ShortenExpiry", testPatchShorten},
	{"Touch", testPatchTouch},
	{"ConcurrentDisjointKeys", testPatchConcurrent},
}

func patcher(t *testing.T, s session.Store) session.Patcher {
	t.Helper()
	p, ok := s.(session.Patcher)
	if !ok {
		t.Skipf("store %T does not implement session.Patcher: the Manager writes it whole", s)
	}
	return p
}

// A patch writes the keys in Set, removes the keys in Delete, leaves every other
// key alone and replaces the Meta whole.
func testPatchSetDeleteKeep(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	now := time.Now()
	mustSave(t, s, key, session.Record{Meta: liveMeta(now), Values: vals("a", "1", "b", "2", "c", "3")})

	meta := session.Meta{Created: now.Add(-time.Minute), Touched: now.Add(time.Second),
		Idle: time.Hour, Absolute: now.Add(48 * time.Hour), User: "alice"}
	applied := mustPatch(t, p, key, session.Patch{
		Meta:   meta,
		Set:    vals("b", `{"twenty":20}`, "d", `"four"`),
		Delete: []string{"c"},
	})
	if !applied {
		t.Fatal("Patch of a live record: got applied false, want true")
	}
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", `{"twenty":20}`, "d", `"four"`)})
}

// Deleting a key the record does not hold is fine: the patch applies and the
// other keys stay.
func testPatchDeleteAbsent(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	if !mustPatch(t, p, key, session.Patch{Meta: meta, Delete: []string{"never-set"}}) {
		t.Fatal("Patch deleting an absent key: got applied false, want true")
	}
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
}

// A patch of a key that was never saved reports applied false and creates
// nothing.
func testPatchMissing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	if mustPatch(t, p, key, session.Patch{Meta: liveMeta(time.Now()), Set: vals("a", "1")}) {
		t.Error("Patch of a missing record: got applied true, want false")
	}
	wantMissing(t, s, key, "after a Patch of a missing record")
}

// A patch arriving after the session was destroyed does not bring it back.
func testPatchDeleted(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	mustDelete(t, s, key)
	if mustPatch(t, p, key, session.Patch{Meta: meta, Set: vals("b", "2")}) {
		t.Error("Patch of a deleted record: got applied true, want false")
	}
	wantMissing(t, s, key, "after a Patch of a deleted record")
}

// A patch of a record whose deadline has passed does not resurrect it, even when
// the patch's Meta would make it live again (a stolen, expired session must stay
// dead).
func testPatchExpired(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	now := time.Now()
	expired := session.Meta{Created: now.Add(-2 * time.Hour), Touched: now.Add(-time.Hour), Idle: time.Minute}
	mustSave(t, s, key, session.Record{Meta: expired, Values: vals("a", "1")})
	if mustPatch(t, p, key, session.Patch{Meta: liveMeta(now), Set: vals("b", "2")}) {
		t.Error("Patch of an expired record: got applied true, want false")
	}
	wantMissing(t, s, key, "after a Patch of an expired record")
}

// A patch can move the deadline later: the record outlives its old deadline.
func testPatchExtend(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	now := time.Now()
	short := session.Meta{Created: now, Touched: now, Absolute: now.Add(time.Second)}
	mustSave(t, s, key, session.Record{Meta: short, Values: vals("a", "1")})
	long := short
	long.Absolute = now.Add(time.Hour)
	if !mustPatch(t, p, key, session.Patch{Meta: long}) {
		t.Fatalf("Patch of a live record: got applied false, want true%s", tooSlow(short.Absolute))
	}
	sleepUntil(short.Absolute.Add(300 * time.Millisecond))
	wantRecord(t, s, key, session.Record{Meta: long, Values: vals("a", "1")})
}

// A patch can move the deadline earlier: a patch whose Meta has already expired
// (a session whose absolute deadline was cut short) leaves nothing to load.
func testPatchShorten(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now)
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	meta.Absolute = now.Add(-time.Second)
	if _, err := p.Patch(t.Context(), key, session.Patch{Meta: meta}); err != nil {
		t.Fatalf("Patch to an expired Meta: got error %v, want nil", err)
	}
	wantMissing(t, s, key, "after a Patch that moved the deadline into the past")
}

// Touch: a patch with no Set and no Delete and a later Meta.Touched moves the
// idle deadline, and the values stay.
func testPatchTouch(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	now := time.Now()
	old := session.Meta{Created: now.Add(-time.Minute), Touched: now.Add(-time.Second), Idle: 2 * time.Second}
	mustSave(t, s, key, session.Record{Meta: old, Values: vals("a", "1")})
	touched := old
	touched.Touched = now
	if !mustPatch(t, p, key, session.Patch{Meta: touched}) {
		t.Fatalf("Patch (touch) of a live record: got applied false, want true%s", tooSlow(old.Expires()))
	}
	sleepUntil(old.Expires().Add(300 * time.Millisecond))
	wantRecord(t, s, key, session.Record{Meta: touched, Values: vals("a", "1")})
}

// Fifty concurrent patches, each writing a different key of one record, all
// survive: a store applies each patch atomically on the stored record, not on a
// copy it read before.
func testPatchConcurrent(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p := patcher(t, s)
	key := newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("base", "0")})

	const n = 50
	want := vals("base", "0")
	for i := range n {
		want[fmt.Sprintf("k%02d", i)] = json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))
	}
	start := make(chan struct{})
	errs := make([]error, n)
	applied := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k := fmt.Sprintf("k%02d", i)
			<-start
			applied[i], errs[i] = p.Patch(t.Context(), key, session.Patch{Meta: meta, Set: vals(k, string(want[k]))})
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Patch %d: got error %v, want nil", i, errs[i])
		} else if !applied[i] {
			t.Errorf("Patch %d: got applied false, want true", i)
		}
	}
	got := wantRecord(t, s, key, session.Record{Meta: meta, Values: want})
	if len(got.Values) != n+1 {
		t.Errorf("len(Values) after %d concurrent patches: got %d, want %d", n, len(got.Values), n+1)
	}
}
