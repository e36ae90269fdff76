package sessiontest

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var moveRules = []rule{
	{"CurrentRecordAndPatch", testMoveCurrent},
	{"MissingOld", testMoveMissing},
	{"DeletedOld", testMoveDeleted},
	{"AlreadyMoved", testMoveTwice},
	{"UserIndexFollows", testMoveUserIndex},
	{"DeleteOfOldKeyFollows", testMoveDeleteFollows},
	{"PatchOfOldKeyNotApplied", testMovePatchOld},
	{"RaceLogout", testMoveRaceLogout},
	{"RaceSignOutEverywhere", testMoveRaceSignOutEverywhere},
	{"RaceConcurrentWrite", testMoveRaceWrite},
}

// raceTrials is how many times each race case runs. Each trial starts the two
// sides together; a store that moves with Save then Delete loses most trials
// (TestSuiteCatchesDefects), and 30 trials of the HTTP-level race lost 2 on
// the old memstore path.
const raceTrials = 200

func mover(t *testing.T, s session.Store) session.Mover {
	t.Helper()
	mv, ok := s.(session.Mover)
	if !ok {
		t.Skipf("store %T does not implement session.Mover: Session.Regenerate falls back to Save then Delete, which can bring back a session destroyed in between", s)
	}
	return mv
}

func mustMove(t testing.TB, mv session.Mover, oldKey, newKey string, p session.Patch) bool {
	t.Helper()
	moved, err := mv.Move(t.Context(), oldKey, newKey, p)
	if err != nil {
		t.Fatalf("Move(%s, %s): got error %v, want nil", oldKey, newKey, err)
	}
	return moved
}

// The new record is the stored one as it is at the move (not as a caller
// loaded it earlier) with the patch applied; the old key is gone.
func testMoveCurrent(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	now := time.Now()
	old, nu := newKey(), newKey()
	meta := liveMeta(now)
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1", "b", "2")})
	if p, ok := s.(session.Patcher); ok { // a concurrent request's write, after this one loaded
		mustPatch(t, p, old, session.Patch{Meta: meta, Set: vals("c", `"3"`)})
	} else {
		mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1", "b", "2", "c", `"3"`)})
	}
	next := meta
	next.Touched, next.User = now.Add(time.Second), "alice"
	if !mustMove(t, mv, old, nu, session.Patch{Meta: next, Set: vals("d", "true"), Delete: []string{"a"}}) {
		t.Fatal("Move of a live record: got moved false, want true")
	}
	wantMissing(t, s, old, "after Move")
	wantRecord(t, s, nu, session.Record{Meta: next, Values: vals("b", "2", "c", `"3"`, "d", "true")})
}

// A move of a key that holds nothing changes nothing.
func testMoveMissing(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	old, nu := newKey(), newKey()
	if mustMove(t, mv, old, nu, session.Patch{Meta: liveMeta(time.Now())}) {
		t.Error("Move of a missing key: got moved true, want false")
	}
	wantMissing(t, s, nu, "after a Move of a missing key")
}

// A destroyed session is never brought back by a move.
func testMoveDeleted(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	old, nu := newKey(), newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
	mustDelete(t, s, old)
	if mustMove(t, mv, old, nu, session.Patch{Meta: meta}) {
		t.Error("Move of a deleted key: got moved true, want false")
	}
	wantMissing(t, s, nu, "after a Move of a deleted key")
}

// A key moves once: a second move of it (a concurrent Regenerate that lost)
// finds nothing.
func testMoveTwice(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	old, n1, n2 := newKey(), newKey(), newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
	if !mustMove(t, mv, old, n1, session.Patch{Meta: meta}) {
		t.Fatal("first Move: got moved false, want true")
	}
	if mustMove(t, mv, old, n2, session.Patch{Meta: meta}) {
		t.Error("second Move of the same old key: got moved true, want false")
	}
	wantMissing(t, s, n2, "after a second Move of the same old key")
	wantRecord(t, s, n1, session.Record{Meta: meta, Values: vals("a", "1")})
}

// The user index lists the new key under p.Meta.User and the old one nowhere.
func testMoveUserIndex(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	ix := userIndex(t, s)
	now := time.Now()
	old, nu := newKey(), newKey()
	rec := userRecord(now, "alice", "1")
	mustSave(t, s, old, rec)
	next := rec.Meta
	next.User = "bob"
	mustMove(t, mv, old, nu, session.Patch{Meta: next})
	wantUser(t, ix, "alice", map[string]session.Record{})
	wantUser(t, ix, "bob", map[string]session.Record{nu: {Meta: next, Values: rec.Values}})
}

// A Delete of the old key after the move deletes the new one too: a logout
// that loaded the session before a rotation still signs it out.
func testMoveDeleteFollows(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	old, n1, n2 := newKey(), newKey(), newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
	mustMove(t, mv, old, n1, session.Patch{Meta: meta})
	mustMove(t, mv, n1, n2, session.Patch{Meta: meta})
	mustDelete(t, s, old)
	wantMissing(t, s, n1, "after Delete of the key it was moved from")
	wantMissing(t, s, n2, "after Delete of the key two moves before it")
}

// A Patch of the old key after the move is not applied (and not acknowledged):
// the writer can tell its change was lost.
func testMovePatchOld(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	p := patcher(t, s)
	old, nu := newKey(), newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
	mustMove(t, mv, old, nu, session.Patch{Meta: meta})
	if mustPatch(t, p, old, session.Patch{Meta: meta, Set: vals("w", "1")}) {
		t.Error("Patch of a moved key: got applied true, want false")
	}
	wantMissing(t, s, old, "after a Patch of a moved key")
	wantRecord(t, s, nu, session.Record{Meta: meta, Values: vals("a", "1")})
}

// together runs a and b at nearly the same moment and waits for both; with a
// positive offset b starts that much later, with a negative one a does. The
// race cases sweep the offset across the length of a move, so that every
// interleaving of a store's steps is tried, whatever the store's speed.
func together(a, b func(), offset time.Duration) {
	var start, done sync.WaitGroup
	start.Add(1)
	done.Add(2)
	delayA, delayB := time.Duration(0), offset
	if offset < 0 {
		delayA, delayB = -offset, 0
	}
	for _, x := range []struct {
		f     func()
		delay time.Duration
	}{{a, delayA}, {b, delayB}} {
		go func() {
			defer done.Done()
			start.Wait()
			spin(x.delay)
			x.f()
		}()
	}
	start.Done()
	done.Wait()
}

// spin waits d without sleeping: timers are far coarser than a memory store's
// move.
func spin(d time.Duration) {
	if d <= 0 {
		return
	}
	for end := time.Now().Add(d); time.Now().Before(end); {
		runtime.Gosched()
	}
}

// offsets measures how long a Move takes on this store and returns, for each
// trial, a start offset between -2 and +2 times that. The duration is the median
// of five moves, not the longest: one move slowed by a loaded machine would
// stretch every offset, so that most trials would start the two sides apart
// (proving less) and spin for longer (taking minutes on a network store).
func offsets(t *testing.T, s session.Store, mv session.Mover) func(trial int) time.Duration {
	t.Helper()
	var took [5]time.Duration
	for i := range took {
		old, nu := newKey(), newKey()
		meta := liveMeta(time.Now())
		mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
		begin := time.Now()
		mustMove(t, mv, old, nu, session.Patch{Meta: meta})
		took[i] = time.Since(begin)
		mustDelete(t, s, nu)
	}
	slices.Sort(took[:])
	median := took[len(took)/2]
	return func(trial int) time.Duration {
		step := trial%41 - 20 // -20 … 20
		return median * time.Duration(step) / 10
	}
}

// errs collects the errors of the racing goroutines (t.Fatal is for the test's
// own goroutine).
type errs struct {
	mu  sync.Mutex
	all []error
}

func (e *errs) add(err error) {
	if err != nil {
		e.mu.Lock()
		e.all = append(e.all, err)
		e.mu.Unlock()
	}
}

func (e *errs) check(t *testing.T) {
	t.Helper()
	if err := errors.Join(e.all...); err != nil {
		t.Fatalf("store call during the race: got error %v, want nil", err)
	}
}

// Rotation against logout: whichever runs first, no session is left.
func testMoveRaceLogout(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	offset := offsets(t, s, mv)
	survived := 0
	for i := range raceTrials {
		old, nu := newKey(), newKey()
		meta := liveMeta(time.Now())
		mustSave(t, s, old, session.Record{Meta: meta, Values: vals("a", "1")})
		var e errs
		together(
			func() { _, err := mv.Move(t.Context(), old, nu, session.Patch{Meta: meta}); e.add(err) },
			func() { e.add(s.Delete(t.Context(), old)) },
			offset(i),
		)
		e.check(t)
		if _, found := mustLoad(t, s, nu); found {
			survived++
		}
		wantMissing(t, s, old, "after a logout raced a rotation")
	}
	if survived > 0 {
		t.Errorf("rotation raced with a logout (Delete of the old key): got the rotated session live in %d of %d trials, want 0", survived, raceTrials)
	}
}

// Rotation against "sign out everywhere" (list the user's sessions, delete
// each): whichever runs first, the user has no session left.
func testMoveRaceSignOutEverywhere(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	ix := userIndex(t, s)
	offset := offsets(t, s, mv)
	survived := 0
	for i := range raceTrials {
		user := "race-" + newKey()[:8]
		old, nu := newKey(), newKey()
		rec := userRecord(time.Now(), user, "1")
		mustSave(t, s, old, rec)
		var e errs
		together(
			func() { _, err := mv.Move(t.Context(), old, nu, session.Patch{Meta: rec.Meta}); e.add(err) },
			func() {
				entries, err := ix.UserSessions(t.Context(), user)
				e.add(err)
				for _, en := range entries {
					e.add(s.Delete(t.Context(), en.Key))
				}
			},
			offset(i),
		)
		e.check(t)
		left, err := ix.UserSessions(t.Context(), user)
		if err != nil {
			t.Fatalf("UserSessions: got error %v, want nil", err)
		}
		_, found := mustLoad(t, s, nu)
		if found || len(left) > 0 {
			survived++
			if survived == 1 {
				t.Logf("trial %d: new key found %v, %d sessions still listed", i, found, len(left))
			}
		}
	}
	if survived > 0 {
		t.Errorf("rotation raced with sign-out-everywhere: got a live session left in %d of %d trials, want 0", survived, raceTrials)
	}
}

// Rotation against a write of another key: an acknowledged write survives
// under the new key; an unacknowledged one (applied false) may be lost.
func testMoveRaceWrite(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	mv := mover(t, s)
	p := patcher(t, s)
	offset := offsets(t, s, mv)
	lost, moves := 0, 0
	for i := range raceTrials {
		old, nu := newKey(), newKey()
		meta := liveMeta(time.Now())
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
				var err error
				applied, err = p.Patch(t.Context(), old, session.Patch{Meta: meta, Set: vals("w", "1")})
				e.add(err)
			},
			offset(i),
		)
		e.check(t)
		if !moved {
			t.Fatal("Move of a live record racing a Patch: got moved false, want true")
		}
		moves++
		rec, found := mustLoad(t, s, nu)
		if !found {
			t.Fatal("after the race: the new key holds nothing, want the moved record")
		}
		if _, ok := rec.Values["w"]; applied && !ok {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("rotation raced with a write: got %d of %d acknowledged writes (applied true) missing from the new key, want 0", lost, moves)
	}
}
