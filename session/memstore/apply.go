package memstore

import (
	"context"
	"time"

	"github.com/sesame-go/sesame/session"
)

var _ session.Applier = (*Store)(nil)

// Apply writes a change to the record under key without the caller having read
// it (session.Applier), in one step under the shard's lock: if the record is
// live at a.Now and not a forwarding mark, a.Set and a.Delete are applied as
// Patch applies them, and Touched moves to a.Now when the record has an idle
// timeout and a.TouchInterval has passed since its Touched; the record's
// deadline follows. Otherwise nothing changes and r.Applied is false.
func (s *Store) Apply(ctx context.Context, key string, a session.Apply) (session.Applied, error) {
	if err := s.check(ctx); err != nil {
		return session.Applied{}, err
	}
	now := a.Now
	if now.IsZero() {
		now = time.Now()
	}
	p := session.Patch{Set: a.Set, Delete: a.Delete}
	// Allocate the buffer for the new bytes outside the lock.
	buf := make([]byte, 0, valuesSize(a.Set))
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[key]
	if !ok || e.movedTo != "" {
		return session.Applied{}, nil
	}
	if !live(e.exp, now) {
		return session.Applied{}, nil // the sweeper removes it
	}
	meta := e.rec.Meta
	touched := meta.Idle > 0 && now.Sub(meta.Touched) >= a.TouchInterval
	if touched {
		meta.Touched = now
	}
	if !touched && len(a.Set) == 0 && len(a.Delete) == 0 {
		return session.Applied{Meta: meta, Applied: true}, nil // nothing to write
	}
	sh.replace(e, session.Record{Meta: meta, Values: patched(e.rec.Values, p, buf)}, meta.Expires())
	return session.Applied{Meta: meta, Applied: true, Touched: touched}, nil
}
