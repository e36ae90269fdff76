package sessiontest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var applyRules = []rule{
	{"SetDeleteKeep", testApplySetDeleteKeep},
	{"NotDue", testApplyNotDue},
	{"Due", testApplyDue},
	{"DueCappedByAbsolute", testApplyAbsoluteCap},
	{"NoIdleTimeout", testApplyNoIdle},
	{"TouchOnly", testApplyTouchOnly},
	{"DueExtendsStoreExpiry", testApplyExtends},
	{"MissingRecord", testApplyMissing},
	{"DeletedRecord", testApplyDeleted},
	{"ExpiredByNow", testApplyExpiredByNow},
	{"MovedKeyRefused", testApplyMoved},
	{"ConcurrentDisjointKeys", testApplyConcurrent},
	{"RaceDelete", testApplyRaceDelete},
	{"RaceMove", testApplyRaceMove},
}

func applier(t *testing.T, s session.Store) session.Applier {
	t.Helper()
	a, ok := s.(session.Applier)
	if !ok {
		t.Skipf("store %T does not implement session.Applier: the Manager loads a session before writing it", s)
	}
	return a
}

func mustApply(t testing.TB, ap session.Applier, key string, a session.Apply) session.Applied {
	t.Helper()
	r, err := ap.Apply(t.Context(), key, a)
	if err != nil {
		t.Fatalf("Apply(%s): got error %v, want nil", key, err)
	}
	return r
}

// wantApplied fails unless r applied, moved the deadline as touched says, and
// reports want as the stored Meta.
func wantApplied(t testing.TB, r session.Applied, touched bool, want session.Meta) {
	t.Helper()
	if !r.Applied {
		t.Fatal("Apply of a live record: got Applied false, want true")
	}
	if r.Touched != touched {
		t.Errorf("Apply: got Touched %v, want %v", r.Touched, touched)
	}
	if d := metaDiff(r.Meta, want); d != "" {
		t.Errorf("Apply: the Meta it reports: %s", d)
	}
}

// An apply writes the keys in Set, removes the keys in Delete and leaves every
// other key and, within the TouchInterval, the Meta alone.
func testApplySetDeleteKeep(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now)
	meta.User = "alice"
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", "2", "c", "3")})
	r := mustApply(t, ap, key, session.Apply{
		Set:    vals("b", `{"twenty":20}`, "d", `"four"`),
		Delete: []string{"c", "never-set"},
		Now:    now.Add(time.Second), TouchInterval: time.Minute,
	})
	wantApplied(t, r, false, meta)
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", `{"twenty":20}`, "d", `"four"`)})
}

// Within TouchInterval of the stored Touched the idle deadline stays.
func testApplyNotDue(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now.Add(-59 * time.Second))
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Set: vals("b", "2"), Now: now, TouchInterval: time.Minute})
	wantApplied(t, r, false, meta)
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", "2")})
}

// Once TouchInterval has passed since the stored Touched, Touched becomes Now.
func testApplyDue(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now.Add(-61 * time.Second))
	meta.User = "bob"
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Set: vals("b", "2"), Now: now, TouchInterval: time.Minute})
	want := meta
	want.Touched = now
	wantApplied(t, r, true, want)
	if !r.Meta.Touched.Equal(now) {
		t.Errorf("Apply that moved the deadline: got Touched %s, want exactly Apply.Now %s", fmtTime(r.Meta.Touched), fmtTime(now))
	}
	wantRecord(t, s, key, session.Record{Meta: want, Values: vals("a", "1", "b", "2")})
}

// The idle deadline never moves past the absolute one.
func testApplyAbsoluteCap(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := session.Meta{Created: now.Add(-time.Hour), Touched: now.Add(-10 * time.Minute),
		Idle: 30 * time.Minute, Absolute: now.Add(5 * time.Minute)}
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Now: now, TouchInterval: time.Minute})
	want := meta
	want.Touched = now
	wantApplied(t, r, true, want)
	got := wantRecord(t, s, key, session.Record{Meta: want, Values: vals("a", "1")})
	if !sameTime(got.Expires(), meta.Absolute) {
		t.Errorf("Expires after the apply: got %s, want the absolute deadline %s", fmtTime(got.Expires()), fmtTime(meta.Absolute))
	}
}

// A session without an idle timeout has no idle deadline to move.
func testApplyNoIdle(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := session.Meta{Created: now.Add(-time.Hour), Touched: now.Add(-time.Hour), Absolute: now.Add(time.Hour)}
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Set: vals("a", "2"), Now: now, TouchInterval: time.Minute})
	wantApplied(t, r, false, meta)
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "2")})
}

// An apply with no change is a touch: due, it moves the deadline; not due, it
// changes nothing and still reports the record.
func testApplyTouchOnly(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now.Add(-2 * time.Minute))
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Now: now, TouchInterval: 3 * time.Minute})
	wantApplied(t, r, false, meta)
	r = mustApply(t, ap, key, session.Apply{Now: now, TouchInterval: time.Minute})
	want := meta
	want.Touched = now
	wantApplied(t, r, true, want)
	wantRecord(t, s, key, session.Record{Meta: want, Values: vals("a", "1")})
}

// A moved deadline moves the store's own expiry too: the record outlives its
// old deadline.
func testApplyExtends(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := session.Meta{Created: now.Add(-time.Second), Touched: now.Add(-time.Second), Idle: 2 * time.Second}
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	r := mustApply(t, ap, key, session.Apply{Now: now, TouchInterval: 500 * time.Millisecond})
	if !r.Applied {
		t.Fatalf("Apply of a live record: got Applied false, want true%s", tooSlow(meta.Expires()))
	}
	want := meta
	want.Touched = now
	sleepUntil(meta.Expires().Add(300 * time.Millisecond))
	wantRecord(t, s, key, session.Record{Meta: want, Values: vals("a", "1")})
}

// An apply of a key never saved refuses and creates nothing.
func testApplyMissing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	if r := mustApply(t, ap, key, session.Apply{Set: vals("a", "1"), Now: time.Now(), TouchInterval: time.Minute}); r.Applied {
		t.Error("Apply of a missing record: got Applied true, want false")
	}
	wantMissing(t, s, key, "after an Apply of a missing record")
}

// An apply never resurrects a deleted record.
func testApplyDeleted(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	mustSave(t, s, key, session.Record{Meta: liveMeta(now), Values: vals("a", "1")})
	mustDelete(t, s, key)
	if r := mustApply(t, ap, key, session.Apply{Set: vals("b", "2"), Now: now, TouchInterval: 0}); r.Applied {
		t.Error("Apply of a deleted record: got Applied true, want false")
	}
	wantMissing(t, s, key, "after an Apply of a deleted record")
}

// Liveness is judged at Apply.Now, the application's clock: a record whose
// deadline Now has passed is refused and left as it was.
func testApplyExpiredByNow(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now)
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	later := meta.Expires().Add(time.Millisecond)
	if r := mustApply(t, ap, key, session.Apply{Set: vals("a", "2"), Now: later, TouchInterval: 0}); r.Applied {
		t.Errorf("Apply with Now after the record's deadline: got Applied true (Meta %+v), want false", r.Meta)
	}
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
}

// After a Move, an Apply of the old key is refused and the new key is left as
// the move made it.
func testApplyMoved(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	mv := mover(t, s)
	old, nu := newKey(), newKey()
	now := time.Now()
	meta := liveMeta(now)
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
	if !mustMove(t, mv, old, nu, session.Patch{Meta: meta}) {
		t.Fatal("Move of a live record: got moved false, want true")
	}
	if r := mustApply(t, ap, old, session.Apply{Set: vals("b", "2"), Now: now, TouchInterval: 0}); r.Applied {
		t.Error("Apply of a moved key: got Applied true, want false")
	}
	wantMissing(t, s, old, "after an Apply of a moved key")
	wantRecord(t, s, nu, session.Record{Meta: meta, Values: vals("a", "1")})
}

// Concurrent applies of different keys all survive.
func testApplyConcurrent(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	key := newKey()
	now := time.Now()
	meta := liveMeta(now)
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("base", "0")})
	const n = 50
	want := vals("base", "0")
	for i := range n {
		want[fmt.Sprintf("k%02d", i)] = json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))
	}
	start := make(chan struct{})
	results := make([]session.Applied, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k := fmt.Sprintf("k%02d", i)
			<-start
			results[i], errs[i] = ap.Apply(t.Context(), key, session.Apply{Set: vals(k, string(want[k])), Now: now, TouchInterval: time.Minute})
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Apply %d: got error %v, want nil", i, errs[i])
		} else if !results[i].Applied {
			t.Errorf("Apply %d: got Applied false, want true", i)
		}
	}
	wantRecord(t, s, key, session.Record{Meta: meta, Values: want})
}

// An apply racing a delete never brings the record back, in either order.
func testApplyRaceDelete(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	back := 0
	for i := range raceTrials {
		key := newKey()
		now := time.Now()
		meta := liveMeta(now.Add(-time.Hour))
		meta.Idle = 2 * time.Hour
		mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
		var e errs
		together(
			func() {
				_, err := ap.Apply(t.Context(), key, session.Apply{Set: vals("b", "2"), Now: now, TouchInterval: time.Minute})
				e.add(err)
			},
			func() { e.add(s.Delete(t.Context(), key)) },
			time.Duration(i%5-2)*50*time.Microsecond,
		)
		e.check(t)
		if _, found := mustLoad(t, s, key); found {
			back++
		}
	}
	if back > 0 {
		t.Errorf("Apply raced with Delete: got the record found afterwards in %d of %d trials, want 0", back, raceTrials)
	}
}

// An apply racing a move lands before it (and is carried to the new key) or
// after it (and is refused): an acknowledged apply is never lost.
func testApplyRaceMove(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ap := applier(t, s)
	mv := mover(t, s)
	offset := offsets(t, s, mv)
	lost := 0
	for i := range raceTrials {
		old, nu := newKey(), newKey()
		now := time.Now()
		meta := liveMeta(now)
		mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
		var (
			e              errs
			moved, applied bool
		)
		together(
			func() {
				var err error
				moved, err = mv.Move(t.Context(), old, nu, session.Patch{Meta: meta, Set: vals("r", "1")})
				e.add(err)
			},
			func() {
				r, err := ap.Apply(t.Context(), old, session.Apply{Set: vals("w", "1"), Now: now, TouchInterval: time.Minute})
				applied = r.Applied
				e.add(err)
			},
			offset(i),
		)
		e.check(t)
		if !moved {
			t.Fatal("Move of a live record racing an Apply: got moved false, want true")
		}
		rec, found := mustLoad(t, s, nu)
		if !found {
			t.Fatal("after the race: the new key holds nothing, want the moved record")
		}
		if _, ok := rec.Values["w"]; applied && !ok {
			lost++
		}
		wantMissing(t, s, old, "after an Apply raced a Move")
	}
	if lost > 0 {
		t.Errorf("Apply raced with Move: got %d of %d acknowledged applies (Applied true) missing from the new key, want 0", lost, raceTrials)
	}
}
