package boltstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore"
)

func TestNewValidates(t *testing.T) {
	_, err := boltstore.New(boltstore.Config{Timeout: -time.Second, FileMode: 0o600 | 1<<31})
	if err == nil {
		t.Fatal("got nil error, want three problems")
	}
	errs := err.(interface{ Unwrap() []error }).Unwrap()
	if len(errs) != 3 {
		t.Errorf("got %d problems (%v), want 3", len(errs), err)
	}
	for _, e := range errs {
		var p *problem.Problem
		if !errors.As(e, &p) || p.Rule != problem.InvalidStoreConfig {
			t.Errorf("got %T %v, want a *problem.Problem for %s", e, e, problem.InvalidStoreConfig)
		}
	}
}

// TestOpenLocked opens one file twice: the second Open waits for the lock no longer
// than its Timeout and says which file another process holds.
func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	first := newStore(t, boltstore.Config{Path: path})
	second, err := boltstore.New(boltstore.Config{Path: path, Timeout: 50 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a held file: got nil error, want ErrLocked")
	}
	if !errors.Is(err, boltstore.ErrLocked) {
		t.Errorf("got %v, want an error wrapping ErrLocked", err)
	}
	for _, want := range []string{path, "another process"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to contain %q", err, want)
		}
	}
	// Once the first closes, the file opens.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	third, err := boltstore.Open(path)
	if err != nil {
		t.Fatalf("Open after Close: got %v, want nil", err)
	}
	third.Close()
}

func TestOpenMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "sessions.db")
	_, err := boltstore.Open(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want an error naming %s", err, path)
	}
}

// TestPersistence: what was saved is there after Close and Open, the demo's
// "still signed in after a restart".
func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	ctx := context.Background()
	now := time.Now()
	want := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: time.Hour, Absolute: now.Add(24 * time.Hour), User: "ada"},
		Values: map[string]json.RawMessage{"theme": []byte(`"dark"`)},
	}
	key := newKey()
	s, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, key, want); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, found, err := s.Load(ctx, key)
	if err != nil || !found {
		t.Fatalf("got found=%v err=%v, want the saved record", found, err)
	}
	if !got.Touched.Equal(want.Touched) || !got.Absolute.Equal(want.Absolute) || got.User != want.User ||
		!maps.EqualFunc(got.Values, want.Values, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if list, err := s.UserSessions(ctx, "ada"); err != nil || len(list) != 1 {
		t.Errorf("got %d sessions for ada (err %v), want 1", len(list), err)
	}
}

func TestClosed(t *testing.T) {
	s := newStore(t, boltstore.Config{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	ctx := context.Background()
	for op, call := range map[string]func() error{
		"load": func() error { _, _, err := s.Load(ctx, newKey()); return err },
		"save": func() error { return s.Save(ctx, newKey(), session.Record{}) },
		"ping": func() error { return s.Ping(ctx) },
	} {
		var se *session.StoreError
		if err := call(); !errors.As(err, &se) || se.Store != "bolt" || se.Op != op {
			t.Errorf("%s after Close: got %v, want a bolt %s StoreError", op, err, op)
		}
	}
}

// TestUserIndexFollows moves a session between users and deletes it: the index
// follows every write, and an emptied user leaves nothing in the file.
func TestUserIndexFollows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s := newStore(t, boltstore.Config{Path: path})
	ctx := context.Background()
	now := time.Now()
	meta := func(user string) session.Meta {
		return session.Meta{Created: now, Touched: now, Idle: time.Hour, User: user}
	}
	count := func(user string) int {
		list, err := s.UserSessions(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	key, other := newKey(), newKey()
	steps := []struct {
		name     string
		do       func() error
		ada, bob int
	}{
		{"save as ada", func() error { return s.Save(ctx, key, session.Record{Meta: meta("ada")}) }, 1, 0},
		{"second session of ada", func() error { return s.Save(ctx, other, session.Record{Meta: meta("ada")}) }, 2, 0},
		{"save over as bob", func() error { return s.Save(ctx, key, session.Record{Meta: meta("bob")}) }, 1, 1},
		{"patch to ada", func() error { _, err := s.Patch(ctx, key, session.Patch{Meta: meta("ada")}); return err }, 2, 0},
		{"patch to anonymous", func() error { _, err := s.Patch(ctx, key, session.Patch{Meta: meta("")}); return err }, 1, 0},
		{"delete the other", func() error { return s.Delete(ctx, other) }, 0, 0},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := count("ada"); got != st.ada {
			t.Errorf("after %s: got %d sessions for ada, want %d", st.name, got, st.ada)
		}
		if got := count("bob"); got != st.bob {
			t.Errorf("after %s: got %d sessions for bob, want %d", st.name, got, st.bob)
		}
	}
	s.Close()
	if c := readFile(t, path); len(c.users) != 0 || c.sessions != 1 || c.expiry != 1 {
		t.Errorf("got file %+v, want 1 session, 1 expiry entry, no user buckets", c)
	}
}

// TestSweep lets records expire on synctest's clock and sweeps them: records and
// every index entry go, live ones stay.
func TestSweep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sessions.db")
		s := newStore(t, boltstore.Config{Path: path})
		ctx := context.Background()
		now := time.Now()
		for i := range 600 { // more than two sweep batches
			m := session.Meta{Created: now, Touched: now, Idle: time.Minute, User: fmt.Sprint("user", i%3)}
			if err := s.Save(ctx, newKey(), session.Record{Meta: m}); err != nil {
				t.Fatal(err)
			}
		}
		live := session.Meta{Created: now, Touched: now, Idle: time.Hour, User: "user0"}
		if err := s.Save(ctx, newKey(), session.Record{Meta: live}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Sweep(ctx); n != 0 || err != nil {
			t.Errorf("sweep before any deadline: got %d, %v; want 0, nil", n, err)
		}
		time.Sleep(time.Minute) // exactly the idle deadline: due
		if n, err := s.Sweep(ctx); n != 600 || err != nil {
			t.Errorf("sweep at the deadline: got %d, %v; want 600, nil", n, err)
		}
		s.Close()
		want := contents{sessions: 1, users: map[string]int{"user0": 1}, expiry: 1}
		if c := readFile(t, path); c.sessions != want.sessions || c.expiry != want.expiry || !maps.Equal(c.users, want.users) {
			t.Errorf("got file %+v, want %+v", c, want)
		}
	})
}

// TestSweepLoop checks the goroutine: it sweeps on its interval, and Close stops
// it (synctest.Test fails if a goroutine of the bubble is left).
func TestSweepLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sessions.db")
		s := newStore(t, boltstore.Config{Path: path, SweepInterval: time.Minute})
		now := time.Now()
		m := session.Meta{Created: now, Touched: now, Idle: 30 * time.Second, User: "ada"}
		if err := s.Save(context.Background(), newKey(), session.Record{Meta: m}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		synctest.Wait() // the goroutine has swept and waits for its next tick
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if c := readFile(t, path); c.sessions != 0 || c.expiry != 0 || len(c.users) != 0 {
			t.Errorf("got file %+v after one interval, want it empty", c)
		}
	})
}

// TestPatchConcurrentKeys: bbolt's single writer serialises patches; all survive.
func TestPatchConcurrentKeys(t *testing.T) {
	s := newStore(t, boltstore.Config{})
	ctx := context.Background()
	key := newKey()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour}
	if err := s.Save(ctx, key, session.Record{Meta: meta}); err != nil {
		t.Fatal(err)
	}
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p := session.Patch{Meta: meta, Set: map[string]json.RawMessage{fmt.Sprint("k", i): []byte(fmt.Sprint(i))}}
			if applied, err := s.Patch(ctx, key, p); !applied || err != nil {
				t.Errorf("patch %d: got applied=%v err=%v, want true, nil", i, applied, err)
			}
		})
	}
	wg.Wait()
	rec, _, err := s.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Values) != n {
		t.Errorf("got %d values, want %d", len(rec.Values), n)
	}
}

// TestRangeWrites deletes every record from inside Range, over several pages: fn
// runs outside bbolt's read transaction, so writing from it cannot deadlock.
func TestRangeWrites(t *testing.T) {
	s := newStore(t, boltstore.Config{})
	ctx := context.Background()
	now := time.Now()
	const n = 600 // more than one page
	for range n {
		if err := s.Save(ctx, newKey(), session.Record{Meta: session.Meta{Touched: now, Idle: time.Hour}}); err != nil {
			t.Fatal(err)
		}
	}
	visited := 0
	err := s.Range(ctx, func(key string, _ session.Record) error {
		visited++
		return s.Delete(ctx, key)
	})
	if err != nil || visited != n {
		t.Errorf("got %d visits, err %v; want %d, nil", visited, err, n)
	}
	left := 0
	s.Range(ctx, func(string, session.Record) error { left++; return nil })
	if left != 0 {
		t.Errorf("got %d records left, want 0", left)
	}
}
