package sessiontest

import (
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var expiryRules = []rule{
	{"DeadlinePassedAtSave", testDeadlinePassed},
	{"SaveExpiredReplaces", testSaveExpiredReplaces},
	{"ExpiresOnTime", testExpiresOnTime},
	{"NoDeadlineNeverExpires", testNoDeadline},
}

// A record whose Expires is already past when it is saved is never found: Save
// succeeds (the session ended between the Manager's decision and the write, which
// is no store failure) and Load misses. The earlier of the two deadlines counts.
func testDeadlinePassed(t *testing.T, newStore func(*testing.T) session.Store) {
	now := time.Now()
	tests := []struct {
		name string
		meta session.Meta
	}{
		{"idle", session.Meta{Created: now.Add(-2 * time.Hour), Touched: now.Add(-time.Hour), Idle: time.Minute}},
		{"absolute", session.Meta{Created: now.Add(-2 * time.Hour), Touched: now, Absolute: now.Add(-time.Second)}},
		{"idle before absolute", session.Meta{Created: now.Add(-2 * time.Hour), Touched: now.Add(-time.Hour),
			Idle: time.Minute, Absolute: now.Add(time.Hour)}},
		{"absolute before idle", session.Meta{Created: now.Add(-2 * time.Hour), Touched: now,
			Idle: time.Hour, Absolute: now.Add(-time.Millisecond)}},
	}
	s := newStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := newKey()
			mustSave(t, s, key, session.Record{Meta: tt.meta, Values: vals("a", "1")})
			wantMissing(t, s, key, "of a record saved after its deadline")
		})
	}
}

// Saving an expired record over a live one replaces it: the live one must not
// survive.
func testSaveExpiredReplaces(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	now := time.Now()
	mustSave(t, s, key, session.Record{Meta: liveMeta(now), Values: vals("a", "1")})
	expired := liveMeta(now)
	expired.Absolute = now.Add(-time.Second)
	mustSave(t, s, key, session.Record{Meta: expired, Values: vals("a", "2")})
	wantMissing(t, s, key, "after saving an expired record over a live one")
}

// Records are found until their deadline and missed after it, on the store's
// clock: one with an idle deadline about a second ahead, one with an absolute
// deadline 1.1 seconds ahead.
func testExpiresOnTime(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	now := time.Now()
	idle := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: time.Second},
		Values: vals("kind", `"idle"`),
	}
	absolute := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Absolute: now.Add(1100 * time.Millisecond)},
		Values: vals("kind", `"absolute"`),
	}
	kIdle, kAbs := newKey(), newKey()
	mustSave(t, s, kIdle, idle)
	mustSave(t, s, kAbs, absolute)
	wantRecord(t, s, kIdle, idle)
	wantRecord(t, s, kAbs, absolute)
	waitGone(t, s, kIdle, idle.Expires())
	waitGone(t, s, kAbs, absolute.Expires())
}

// A record with neither an idle timeout nor an absolute deadline never expires
// on its own, however long ago it was touched.
func testNoDeadline(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	old := time.Now().Add(-10 * 365 * 24 * time.Hour)
	want := session.Record{Meta: session.Meta{Created: old, Touched: old}, Values: vals("a", "1")}
	mustSave(t, s, key, want)
	wantRecord(t, s, key, want)
}
