package memstore

import (
	"context"
	"time"

	"github.com/sesame-go/sesame/session"
)

// Range calls fn for every live record (session.Iterator), one shard at a time.
// It copies a shard's live entries under its read lock and calls fn without
// holding any lock, so fn may use the store; records saved or deleted during
// the walk may or may not be visited. Range stops at the first error fn returns,
// or when ctx ends, and returns that error.
func (s *Store) Range(ctx context.Context, fn func(key string, rec session.Record) error) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	var batch []session.Entry
	for i := range s.shards {
		sh := &s.shards[i]
		now := time.Now()
		batch = batch[:0]
		sh.mu.RLock()
		for key, e := range sh.m {
			if e.movedTo == "" && live(e.exp, now) {
				batch = append(batch, session.Entry{Key: key, Record: e.rec})
			}
		}
		sh.mu.RUnlock()
		for _, e := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(e.Key, e.Record); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
