package sessiontest

import (
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var userIndexRules = []rule{
	{"ListsByUser", testUserList},
	{"AnonymousNotListed", testUserAnonymous},
	{"MoveByPatch", testUserMoveByPatch},
	{"MoveBySave", testUserMoveBySave},
	{"DeleteUnlists", testUserDelete},
	{"ExpiredNotListed", testUserExpired},
}

func userIndex(t *testing.T, s session.Store) session.UserIndex {
	t.Helper()
	ix, ok := s.(session.UserIndex)
	if !ok {
		t.Skipf("store %T does not implement session.UserIndex", s)
	}
	return ix
}

// wantUser fails the test unless UserSessions(user) lists exactly the records
// in want, each once, each with the record Load would return.
func wantUser(t *testing.T, ix session.UserIndex, user string, want map[string]session.Record) {
	t.Helper()
	entries, err := ix.UserSessions(t.Context(), user)
	if err != nil {
		t.Fatalf("UserSessions(%q): got error %v, want nil", user, err)
	}
	got := make(map[string]session.Record, len(entries))
	for _, e := range entries {
		if _, dup := got[e.Key]; dup {
			t.Errorf("UserSessions(%q): key %s listed twice, want once", user, e.Key)
		}
		got[e.Key] = e.Record
	}
	gotKeys, wantKeys := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("UserSessions(%q) keys: got %q, want %q", user, gotKeys, wantKeys)
	}
	for k, w := range want {
		if g, ok := got[k]; ok {
			if d := recordDiff(g, w); d != "" {
				t.Errorf("UserSessions(%q) entry %s: %s", user, k, d)
			}
		}
	}
}

// userRecord is a live record of user holding the string v.
func userRecord(now time.Time, user string, v string) session.Record {
	m := liveMeta(now)
	m.User = user
	return session.Record{Meta: m, Values: vals("v", strconv.Quote(v))}
}

// Records are listed under the user named in their Meta, and only there.
func testUserList(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	now := time.Now()
	a1, a2, b1 := newKey(), newKey(), newKey()
	recs := map[string]session.Record{
		a1: userRecord(now, "alice", "1"),
		a2: userRecord(now, "alice", "2"),
		b1: userRecord(now, "bob", "3"),
	}
	for k, r := range recs {
		mustSave(t, s, k, r)
	}
	wantUser(t, ix, "alice", map[string]session.Record{a1: recs[a1], a2: recs[a2]})
	wantUser(t, ix, "bob", map[string]session.Record{b1: recs[b1]})
	wantUser(t, ix, "carol", nil)
}

// Anonymous sessions (Meta.User "") belong to nobody: asking for user "" lists
// nothing, and they never show up under a named user.
func testUserAnonymous(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	now := time.Now()
	anon, a1 := newKey(), newKey()
	mustSave(t, s, anon, userRecord(now, "", "anon"))
	rec := userRecord(now, "alice", "1")
	mustSave(t, s, a1, rec)
	wantUser(t, ix, "", nil)
	wantUser(t, ix, "alice", map[string]session.Record{a1: rec})
}

// A patch that changes Meta.User moves the record from one user's list to the
// other's (login, logout, switching accounts).
func testUserMoveByPatch(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	p := patcher(t, s)
	now := time.Now()
	k := newKey()
	mustSave(t, s, k, userRecord(now, "alice", "1"))
	moved := userRecord(now, "bob", "1")
	if !mustPatch(t, p, k, session.Patch{Meta: moved.Meta}) {
		t.Fatal("Patch of a live record: got applied false, want true")
	}
	wantUser(t, ix, "alice", nil)
	wantUser(t, ix, "bob", map[string]session.Record{k: moved})

	anon := userRecord(now, "", "1")
	if !mustPatch(t, p, k, session.Patch{Meta: anon.Meta}) {
		t.Fatal("Patch of a live record: got applied false, want true")
	}
	wantUser(t, ix, "bob", nil)
}

// A Save that changes Meta.User moves the record between users, and a Save as
// anonymous takes it out of every list.
func testUserMoveBySave(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	now := time.Now()
	k := newKey()
	mustSave(t, s, k, userRecord(now, "", "1"))
	wantUser(t, ix, "alice", nil)
	asAlice := userRecord(now, "alice", "2")
	mustSave(t, s, k, asAlice)
	wantUser(t, ix, "alice", map[string]session.Record{k: asAlice})
	asBob := userRecord(now, "bob", "3")
	mustSave(t, s, k, asBob)
	wantUser(t, ix, "alice", nil)
	wantUser(t, ix, "bob", map[string]session.Record{k: asBob})
	mustSave(t, s, k, userRecord(now, "", "4"))
	wantUser(t, ix, "bob", nil)
}

// Delete takes the record out of its user's list ("sign out everywhere" must not
// find sessions already signed out).
func testUserDelete(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	now := time.Now()
	a1, a2 := newKey(), newKey()
	r2 := userRecord(now, "alice", "2")
	mustSave(t, s, a1, userRecord(now, "alice", "1"))
	mustSave(t, s, a2, r2)
	mustDelete(t, s, a1)
	wantUser(t, ix, "alice", map[string]session.Record{a2: r2})
	mustDelete(t, s, a2)
	wantUser(t, ix, "alice", nil)
}

// An expired record is never listed, however it expired: saved already past its
// deadline, patched to a past deadline, or passing its deadline on the store's
// clock. The index never lists what Load would not find.
func testUserExpired(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	ix := userIndex(t, s)
	now := time.Now()
	live, savedExpired, patchedExpired, timedOut := newKey(), newKey(), newKey(), newKey()

	liveRec := userRecord(now, "alice", "live")
	mustSave(t, s, live, liveRec)

	r := userRecord(now, "alice", "saved expired")
	r.Absolute = now.Add(-time.Second)
	mustSave(t, s, savedExpired, r)

	r = userRecord(now, "alice", "patched expired")
	mustSave(t, s, patchedExpired, r)
	if p, ok := s.(session.Patcher); ok {
		m := r.Meta
		m.Absolute = now.Add(-time.Second)
		if _, err := p.Patch(t.Context(), patchedExpired, session.Patch{Meta: m}); err != nil {
			t.Fatalf("Patch to an expired Meta: got error %v, want nil", err)
		}
	} else {
		mustDelete(t, s, patchedExpired)
	}

	r = userRecord(now, "alice", "timed out")
	r.Absolute = now.Add(time.Second)
	mustSave(t, s, timedOut, r)
	wantUser(t, ix, "alice", map[string]session.Record{live: liveRec, timedOut: r})
	waitGone(t, s, timedOut, r.Expires())
	wantUser(t, ix, "alice", map[string]session.Record{live: liveRec})
}
