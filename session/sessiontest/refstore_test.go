package sessiontest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"runtime"
	"sync"
	"time"

	"github.com/sesame-go/sesame/session"
)

// refStore is the simplest store that keeps the contract: one mutex, one map.
// Its flags switch on one defect each, so the suite's own tests can check that
// Run catches it; with normalise it behaves like PostgreSQL's jsonb and
// timestamptz (values re-encoded, times cut to microseconds), which Run must
// accept.
type refStore struct {
	defects
	mu      sync.Mutex
	recs    map[string]session.Record
	deleted map[string]session.Record // with staleIndex: what the index still lists
	movedTo map[string]string         // forwarding marks left by Move, followed by Delete
}

type defects struct {
	normalise      bool // re-encode values and truncate times: allowed
	sharesSaved    bool // keeps the caller's Values map
	mutatesInPlace bool // Patch changes the stored map that Load handed out
	resurrects     bool // Patch of a missing record creates it
	ignoresExpiry  bool // Load returns expired records
	ignoresCtx     bool // never looks at ctx
	milliseconds   bool // keeps times to the millisecond only
	lostUpdates    bool // Patch reads, yields, then writes back what it read
	listsAnonymous bool // UserSessions("") lists anonymous sessions
	staleIndex     bool // UserSessions lists deleted records
	rangesExpired  bool // Range visits expired records
	rangeGoesOn    bool // Range ignores fn's error
	zeroAbsolute   bool // a zero Absolute comes back as the Unix epoch
	saveThenDelete bool // Move as the Manager rotated before Mover: Load, Save, Delete
}

func newRefStore(d defects) *refStore {
	return &refStore{defects: d, recs: make(map[string]session.Record), deleted: make(map[string]session.Record),
		movedTo: make(map[string]string)}
}

func (s *refStore) Name() string { return "reference" }

func (s *refStore) ctxErr(ctx context.Context) error {
	if s.ignoresCtx {
		return nil
	}
	return ctx.Err()
}

// stored is the form rec takes in the store.
func (s *refStore) stored(rec session.Record) session.Record {
	if !s.sharesSaved {
		rec.Values = s.copyValues(rec.Values)
	}
	cut := func(t time.Time) time.Time {
		switch {
		case s.milliseconds:
			return t.Truncate(time.Millisecond)
		case s.normalise:
			return t.Truncate(time.Microsecond).In(time.UTC)
		}
		return t
	}
	rec.Created, rec.Touched, rec.Absolute = cut(rec.Created), cut(rec.Touched), cut(rec.Absolute)
	return rec
}

func (s *refStore) copyValues(m map[string]json.RawMessage) map[string]json.RawMessage {
	c := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		c[k] = s.value(v)
	}
	return c
}

func (s *refStore) value(v json.RawMessage) json.RawMessage {
	if !s.normalise {
		return bytes.Clone(v)
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return bytes.Clone(v)
	}
	b, _ := json.Marshal(x) // sorts keys, escapes <>&, loses number precision
	if bytes.Contains(v, []byte("9007199254740993")) {
		b = bytes.Clone(v) // jsonb keeps numeric precision; float64 would not
	}
	return b
}

func (s *refStore) loaded(rec session.Record) session.Record {
	if s.zeroAbsolute && rec.Absolute.IsZero() {
		rec.Absolute = time.Unix(0, 0)
	}
	return rec
}

func (s *refStore) live(rec session.Record, now time.Time) bool {
	return s.ignoresExpiry || rec.Live(now)
}

func (s *refStore) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if err := s.ctxErr(ctx); err != nil {
		return session.Record{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recs[key]
	if !ok || !s.live(rec, time.Now()) {
		return session.Record{}, false, nil
	}
	return s.loaded(rec), true, nil
}

func (s *refStore) Save(ctx context.Context, key string, rec session.Record) error {
	if err := s.ctxErr(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs[key] = s.stored(rec)
	return nil
}

func (s *refStore) Delete(ctx context.Context, key string) error {
	if err := s.ctxErr(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for key != "" {
		if rec, ok := s.recs[key]; ok && s.staleIndex {
			s.deleted[key] = rec
		}
		delete(s.recs, key)
		next := s.movedTo[key]
		delete(s.movedTo, key)
		key = next
	}
	return nil
}

func (s *refStore) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
	if err := s.ctxErr(ctx); err != nil {
		return false, err
	}
	if s.saveThenDelete {
		rec, found, err := s.Load(ctx, oldKey)
		if err != nil || !found {
			return false, err
		}
		time.Sleep(100 * time.Microsecond) // the request's work between load and rotation
		values := maps.Clone(rec.Values)
		for _, k := range p.Delete {
			delete(values, k)
		}
		maps.Copy(values, p.Set)
		if err := s.Save(ctx, newKey, session.Record{Meta: p.Meta, Values: values}); err != nil {
			return false, err
		}
		runtime.Gosched()
		return true, s.Delete(ctx, oldKey)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.recs[oldKey]
	if !ok || !s.live(rec, time.Now()) {
		return false, nil
	}
	values := maps.Clone(rec.Values)
	if values == nil {
		values = make(map[string]json.RawMessage)
	}
	for _, k := range p.Delete {
		delete(values, k)
	}
	for k, v := range p.Set {
		values[k] = s.value(v)
	}
	next := s.stored(session.Record{Meta: p.Meta})
	next.Values = values
	s.recs[newKey] = next
	delete(s.recs, oldKey)
	s.movedTo[oldKey] = newKey
	return true, nil
}

func (s *refStore) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if err := s.ctxErr(ctx); err != nil {
		return false, err
	}
	s.mu.Lock()
	rec, ok := s.recs[key]
	if !ok || !s.live(rec, time.Now()) {
		if s.resurrects {
			s.recs[key] = s.stored(session.Record{Meta: p.Meta, Values: p.Set})
			s.mu.Unlock()
			return true, nil
		}
		s.mu.Unlock()
		return false, nil
	}
	values := rec.Values
	if s.lostUpdates {
		values = maps.Clone(values)
		s.mu.Unlock()
		runtime.Gosched()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	} else if !s.mutatesInPlace {
		values = maps.Clone(values)
	}
	if values == nil {
		values = make(map[string]json.RawMessage)
	}
	for _, k := range p.Delete {
		delete(values, k)
	}
	for k, v := range p.Set {
		values[k] = s.value(v)
	}
	next := s.stored(session.Record{Meta: p.Meta})
	next.Values = values
	s.recs[key] = next
	s.mu.Unlock()
	return true, nil
}

func (s *refStore) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := s.ctxErr(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var out []session.Entry
	for _, m := range []map[string]session.Record{s.recs, s.deleted} {
		for k, rec := range m {
			if rec.User == user && (user != "" || s.listsAnonymous) && s.live(rec, now) {
				out = append(out, session.Entry{Key: k, Record: s.loaded(rec)})
			}
		}
	}
	return out, nil
}

func (s *refStore) Range(ctx context.Context, fn func(string, session.Record) error) error {
	if err := s.ctxErr(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	now := time.Now()
	var entries []session.Entry
	for k, rec := range s.recs {
		if s.rangesExpired || s.live(rec, now) {
			entries = append(entries, session.Entry{Key: k, Record: s.loaded(rec)})
		}
	}
	s.mu.Unlock()
	var first error
	for _, e := range entries {
		if err := fn(e.Key, e.Record); err != nil {
			if !s.rangeGoesOn {
				return err
			}
			if first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *refStore) Ping(ctx context.Context) error { return s.ctxErr(ctx) }
