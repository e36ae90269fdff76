package memstore_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// model is the store's behaviour written the obvious way: a map, and the
// deadline checked on every read.
type model map[string]session.Record

func (m model) live(key string, now time.Time) (session.Record, bool) {
	rec, ok := m[key]
	if !ok || !rec.Live(now) {
		return session.Record{}, false
	}
	return rec, true
}

// FuzzAgainstModel runs a sequence of operations decoded from the input on a
// Store and on the model, in a synctest bubble so that deadlines pass exactly
// when the sequence says, and compares every answer: Load, Patch's applied,
// UserSessions and Range. The expiry heap, the user index and the sweeper are
// what it exercises.
func FuzzAgainstModel(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 0, 2, 9, 9, 9, 3, 5, 1, 1, 4, 4, 4, 2, 1})
	f.Add([]byte{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 3, 200, 4, 1, 0, 7, 7, 7, 7, 3, 255, 3, 255})
	f.Add([]byte{0, 3, 1, 5, 0, 0, 4, 1, 2, 1, 2, 4, 2, 3, 4, 3, 30, 1, 3, 2, 2, 2})
	f.Fuzz(func(t *testing.T, program []byte) {
		synctest.Test(t, func(t *testing.T) {
			s, err := memstore.New(memstore.Config{SweepInterval: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			run(t, s, program)
		})
	})
}

func run(t *testing.T, s *memstore.Store, program []byte) {
	ctx := context.Background()
	m := model{}
	users := []string{"", "alice", "bob"}
	next := func() byte {
		if len(program) == 0 {
			return 0
		}
		b := program[0]
		program = program[1:]
		return b
	}
	meta := func(b byte) session.Meta {
		now := time.Now()
		mt := session.Meta{Created: now, Touched: now, User: users[int(b)%3]}
		mt.Idle = time.Duration(b>>2&3) * 100 * time.Millisecond
		if a := int(b >> 4 & 3); a > 0 {
			mt.Absolute = now.Add(time.Duration(a-1) * 150 * time.Millisecond) // a == 1: already past
		}
		return mt
	}
	for step := 0; len(program) > 0; step++ {
		op, key := next()%5, "k"+strconv.Itoa(int(next()%6))
		now := time.Now()
		switch op {
		case 0: // Save
			b := next()
			rec := session.Record{Meta: meta(b), Values: map[string]json.RawMessage{"v": json.RawMessage(strconv.Itoa(int(b)))}}
			if err := s.Save(ctx, key, rec); err != nil {
				t.Fatalf("step %d Save: got error %v, want nil", step, err)
			}
			m[key] = rec
		case 1: // Patch
			b := next()
			p := session.Patch{
				Meta:   meta(b),
				Set:    map[string]json.RawMessage{"s" + strconv.Itoa(int(b)%3): json.RawMessage(strconv.Itoa(int(b)))},
				Delete: []string{"s" + strconv.Itoa(int(b+1)%3), "v"},
			}
			applied, err := s.Patch(ctx, key, p)
			if err != nil {
				t.Fatalf("step %d Patch: got error %v, want nil", step, err)
			}
			old, want := m.live(key, now)
			if applied != want {
				t.Fatalf("step %d Patch(%s): got applied %v, want %v", step, key, applied, want)
			}
			if want {
				vals := maps.Clone(old.Values)
				for _, k := range p.Delete {
					delete(vals, k)
				}
				maps.Copy(vals, p.Set)
				m[key] = session.Record{Meta: p.Meta, Values: vals}
			}
		case 2: // Delete
			if err := s.Delete(ctx, key); err != nil {
				t.Fatalf("step %d Delete: got error %v, want nil", step, err)
			}
			delete(m, key)
		case 3: // time passes (and the sweeper may run)
			time.Sleep(time.Duration(next()) * 10 * time.Millisecond)
			synctest.Wait()
		case 4:
			check(t, s, m, step)
		}
	}
	check(t, s, m, -1)
}

func check(t *testing.T, s *memstore.Store, m model, step int) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	wantLive := map[string]session.Record{}
	for k := range m {
		if rec, ok := m.live(k, now); ok {
			wantLive[k] = rec
		}
	}
	for i := range 6 {
		key := "k" + strconv.Itoa(i)
		got, found, err := s.Load(ctx, key)
		want, ok := wantLive[key]
		if err != nil || found != ok {
			t.Fatalf("step %d Load(%s): got found %v error %v, want found %v", step, key, found, err, ok)
		}
		if found && (got.Meta != want.Meta || !maps.EqualFunc(got.Values, want.Values, slices.Equal)) {
			t.Fatalf("step %d Load(%s): got %+v, want %+v", step, key, got, want)
		}
	}
	for _, user := range []string{"", "alice", "bob"} {
		entries, err := s.UserSessions(ctx, user)
		if err != nil {
			t.Fatalf("step %d UserSessions(%q): got error %v, want nil", step, user, err)
		}
		var got, want []string
		for _, e := range entries {
			got = append(got, e.Key)
		}
		for k, rec := range wantLive {
			if user != "" && rec.User == user {
				want = append(want, k)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("step %d UserSessions(%q): got %q, want %q", step, user, got, want)
		}
	}
	var ranged []string
	if err := s.Range(ctx, func(k string, _ session.Record) error { ranged = append(ranged, k); return nil }); err != nil {
		t.Fatalf("step %d Range: got error %v, want nil", step, err)
	}
	slices.Sort(ranged)
	if want := slices.Sorted(maps.Keys(wantLive)); !slices.Equal(ranged, want) {
		t.Fatalf("step %d Range: got %q, want %q", step, ranged, want)
	}
}
