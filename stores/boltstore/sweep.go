package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/sesame-go/sesame/stores/boltstore/internal/record"
	bolt "go.etcd.io/bbolt"
)

// sweepBatch is how many expired records one write transaction deletes: bounded,
// so that a sweep after a long downtime does not hold the writer lock for long.
const sweepBatch = 256

// Sweep deletes every record whose deadline has passed, with its index entries,
// and returns how many it deleted. The background goroutine calls it every
// Config.SweepInterval; call it yourself when that is negative.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, s.fail("sweep", err)
		}
		var n int
		var done bool
		err := s.db.Update(func(tx *bolt.Tx) error {
			var err error
			b, now := bucketsOf(tx), time.Now()
			if n, done, err = sweepOnce(b, now); err != nil || !done {
				return err
			}
			return sweepForwards(b, now)
		})
		if err != nil {
			return total, s.fail("sweep", err)
		}
		total += n
		if done {
			return total, nil
		}
	}
}

// sweepOnce deletes up to sweepBatch expired records and reports how many, and
// whether no expired record is left.
func sweepOnce(b buckets, now time.Time) (deleted int, done bool, err error) {
	var limit [8]byte
	binary.BigEndian.PutUint64(limit[:], sortableNanos(now))
	var due [][]byte
	c := b.expiry.Cursor()
	// Expired means "Expires is not after now": an entry whose deadline equals
	// now is due.
	for k, _ := c.First(); k != nil && len(due) < sweepBatch; k, _ = c.Next() {
		if len(k) >= 8 && bytes.Compare(k[:8], limit[:]) > 0 {
			break
		}
		due = append(due, bytes.Clone(k)) // deleting under a live cursor skips entries
	}
	for _, k := range due {
		if err := b.expiry.Delete(k); err != nil {
			return deleted, false, err
		}
		if len(k) < 8 {
			continue
		}
		key := k[8:]
		v := b.sessions.Get(key)
		if v == nil {
			continue
		}
		m, err := record.DecodeMeta(v)
		if err == nil && m.Live(now) {
			continue // a stale entry: the record has a later deadline now
		}
		if err == nil {
			if err := b.unindexUser(key, m.User); err != nil {
				return deleted, false, err
			}
		}
		if err := b.sessions.Delete(key); err != nil {
			return deleted, false, err
		}
		deleted++
	}
	return deleted, len(due) < sweepBatch, nil
}

// sweepLoop sweeps every interval until ctx ends. A failed sweep is logged and
// retried at the next tick; expired records are never served meanwhile.
func (s *Store) sweepLoop(ctx context.Context, interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.ErrorContext(ctx, "boltstore: sweep of expired sessions failed", "path", s.path, "err", err)
		case n > 0:
			s.logger.DebugContext(ctx, "boltstore: deleted expired sessions", "path", s.path, "count", n)
		}
	}
}
