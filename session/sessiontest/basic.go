package sessiontest

import (
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var basicRules = []rule{
	{"RoundTrip", testRoundTrip},
	{"RoundTripZeroDeadlines", testRoundTripZero},
	{"LoadMissing", testLoadMissing},
	{"DeleteMissing", testDeleteMissing},
	{"Delete", testDelete},
	{"Overwrite", testOverwrite},
	{"KeysIndependent", testKeysIndependent},
}

// Save then Load gives back the same Meta (to the microsecond) and the same JSON
// documents.
func testRoundTrip(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	m := liveMeta(time.Now())
	m.User = "alice"
	want := session.Record{Meta: m, Values: vals("user_id", "42", "name", `"Zoë"`, "cart", `[1,2,3]`)}
	mustSave(t, s, key, want)
	wantRecord(t, s, key, want)
}

// A record with no idle timeout and no absolute deadline round trips with both
// still unset (a zero Absolute must not come back as 1970 or year 1 in UTC with a
// non-zero offset), and an empty Values comes back empty.
func testRoundTripZero(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	now := time.Now()
	want := session.Record{Meta: session.Meta{Created: now, Touched: now}}
	mustSave(t, s, key, want)
	got := wantRecord(t, s, key, want)
	if !got.Absolute.IsZero() {
		t.Errorf("Meta.Absolute: got %s, want zero time", fmtTime(got.Absolute))
	}
	if len(got.Values) != 0 {
		t.Errorf("len(Values): got %d, want 0", len(got.Values))
	}
}

// Load of a key never saved is a miss: found false and no error.
func testLoadMissing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	rec, found, err := s.Load(t.Context(), newKey())
	if err != nil {
		t.Fatalf("Load(unknown key): got error %v, want nil", err)
	}
	if found {
		t.Errorf("Load(unknown key): got found true (%+v), want false", rec.Meta)
	}
}

// Deleting a key that does not exist is not an error.
func testDeleteMissing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	if err := s.Delete(t.Context(), newKey()); err != nil {
		t.Errorf("Delete(unknown key): got error %v, want nil", err)
	}
}

// After Delete, Load misses; a second Delete is still not an error.
func testDelete(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	mustSave(t, s, key, session.Record{Meta: liveMeta(time.Now()), Values: vals("a", "1")})
	mustDelete(t, s, key)
	wantMissing(t, s, key, "after Delete")
	if err := s.Delete(t.Context(), key); err != nil {
		t.Errorf("second Delete: got error %v, want nil", err)
	}
}

// A second Save replaces the whole record: keys of the first that the second
// lacks are gone, and the second Meta wins.
func testOverwrite(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	now := time.Now()
	first := session.Record{Meta: liveMeta(now), Values: vals("a", "1", "b", `"two"`)}
	first.User = "alice"
	mustSave(t, s, key, first)
	second := session.Record{Meta: liveMeta(now.Add(time.Second)), Values: vals("c", "true")}
	second.Idle = time.Hour
	second.User = "bob"
	mustSave(t, s, key, second)
	wantRecord(t, s, key, second)
}

// Records under different keys do not affect each other.
func testKeysIndependent(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	now := time.Now()
	k1, k2 := newKey(), newKey()
	r1 := session.Record{Meta: liveMeta(now), Values: vals("n", "1")}
	r2 := session.Record{Meta: liveMeta(now), Values: vals("n", "2")}
	mustSave(t, s, k1, r1)
	mustSave(t, s, k2, r2)
	mustDelete(t, s, k1)
	wantMissing(t, s, k1, "after Delete")
	wantRecord(t, s, k2, r2)
}
