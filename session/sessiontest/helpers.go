package sessiontest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

// newKey returns a store key shaped like the ones the Manager uses: the unpadded
// base64url SHA-256 of a random session ID (43 characters).
func newKey() string {
	sum := sha256.Sum256([]byte(rand.Text()))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// liveMeta is the Meta of an ordinary session saved at now: created a minute
// ago, touched now, 30 minutes idle timeout, 24 hours absolute timeout. The times
// carry nanoseconds on purpose: a store may keep only microseconds.
func liveMeta(now time.Time) session.Meta {
	return session.Meta{
		Created:  now.Add(-time.Minute),
		Touched:  now,
		Idle:     30 * time.Minute,
		Absolute: now.Add(24 * time.Hour),
	}
}

// vals builds a Values map from key/JSON pairs.
func vals(kv ...string) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

func mustSave(t testing.TB, s session.Store, key string, rec session.Record) {
	t.Helper()
	if err := s.Save(t.Context(), key, rec); err != nil {
		t.Fatalf("Save(%s): got error %v, want nil", key, err)
	}
}

func mustDelete(t testing.TB, s session.Store, key string) {
	t.Helper()
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete(%s): got error %v, want nil", key, err)
	}
}

func mustLoad(t testing.TB, s session.Store, key string) (session.Record, bool) {
	t.Helper()
	rec, found, err := s.Load(t.Context(), key)
	if err != nil {
		t.Fatalf("Load(%s): got error %v, want nil", key, err)
	}
	return rec, found
}

func mustPatch(t testing.TB, p session.Patcher, key string, patch session.Patch) bool {
	t.Helper()
	applied, err := p.Patch(t.Context(), key, patch)
	if err != nil {
		t.Fatalf("Patch(%s): got error %v, want nil", key, err)
	}
	return applied
}

// wantRecord fails the test unless Load finds want under key.
func wantRecord(t testing.TB, s session.Store, key string, want session.Record) session.Record {
	t.Helper()
	got, found := mustLoad(t, s, key)
	if !found {
		t.Fatalf("Load(%s): got found false, want the record", key)
	}
	if d := recordDiff(got, want); d != "" {
		t.Errorf("Load(%s): %s", key, d)
	}
	return got
}

// wantMissing fails the test unless Load reports a miss for key.
func wantMissing(t testing.TB, s session.Store, key string, why string) {
	t.Helper()
	got, found := mustLoad(t, s, key)
	if found {
		t.Errorf("Load(%s) %s: got found true (Meta %+v), want found false", key, why, got.Meta)
	}
}

// pollWindow bounds how long after its deadline a record may still be found:
// stores that expire lazily (on read) need no time at all, stores with a server
// clock (Redis, PostgreSQL) expire at the deadline; the window only absorbs
// scheduling delays on a loaded machine.
const pollWindow = 3 * time.Second

// waitGone polls Load until key is no longer found and fails the test if it is
// still found pollWindow after exp. It also fails if the record is gone well
// before exp (a store that expires records early loses sessions).
func waitGone(t testing.TB, s session.Store, key string, exp time.Time) {
	t.Helper()
	for {
		_, found := mustLoad(t, s, key)
		now := time.Now()
		if !found {
			if early := exp.Sub(now); early > 100*time.Millisecond {
				t.Errorf("Load(%s): got found false %v before the record expires, want found true until %s",
					key, early, fmtTime(exp))
			}
			return
		}
		if now.After(exp.Add(pollWindow)) {
			t.Fatalf("Load(%s): got found true %v after the record expired at %s, want found false",
				key, now.Sub(exp), fmtTime(exp))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sleepUntil waits until the wall clock has passed at; the tests that use it then
// check that a deadline moved, which only a real clock can show for a real store.
func sleepUntil(at time.Time) {
	time.Sleep(time.Until(at))
}

// tooSlow explains a failure when the record's one-second window had already
// closed: then the machine, not the store, may be at fault.
func tooSlow(deadline time.Time) string {
	if late := time.Since(deadline); late >= 0 {
		return fmt.Sprintf(" (but Save and Patch took longer than the test's window: the record's deadline passed %v ago; is the machine overloaded?)", late)
	}
	return ""
}
