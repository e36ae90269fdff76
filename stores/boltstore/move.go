package boltstore

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/sesame-go/sesame/session"
	bolt "go.etcd.io/bbolt"
)

// ForwardTTL is how long the old key of a moved session keeps pointing at the
// new one: long enough for any request that loaded the session before the move
// to finish, so that a destroy it makes then also ends the moved session.
const ForwardTTL = time.Minute

// Move moves the session under oldKey to newKey for Session.Regenerate, in one
// read-write transaction: the record as it is in the file (not a copy the caller
// loaded) with p applied as Patch applies it, only if it is there and live; the
// user index entry moves with it, and the old key becomes a forward to newKey for
// ForwardTTL. bbolt runs one write transaction at a time, so every other write of
// the old key happens wholly before the move (and is carried over, or, for a
// destroy, leaves nothing to move) or after it (a patch finds nothing: applied ==
// false; a Delete follows the forward and ends the new session too).
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (moved bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, s.fail("move", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		ok, nk := []byte(oldKey), []byte(newKey)
		old := b.sessions.Get(ok)
		if old == nil {
			return nil
		}
		now := time.Now()
		next, live, err := b.patched(ok, old, p, now)
		if err != nil || !live {
			return err
		}
		moved = true
		if err := b.remove(ok, old); err != nil {
			return err
		}
		fw := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(nk)), sortableNanos(now.Add(ForwardTTL)))
		if err := b.forwards.Put(ok, append(fw, nk...)); err != nil {
			return err
		}
		if !next.Live(now) {
			return nil // the patch ends the session: moved away, and gone
		}
		prev := b.sessions.Get(nk) // fresh in practice; replaced if not
		return b.put(nk, prev, next)
	})
	if err != nil {
		return false, s.fail("move", err)
	}
	return moved, nil
}

// sweepForwards deletes the forwards whose time is up.
func sweepForwards(b buckets, now time.Time) error {
	limit := sortableNanos(now)
	var due [][]byte
	err := b.forwards.ForEach(func(k, v []byte) error {
		if len(v) < 8 || binary.BigEndian.Uint64(v[:8]) <= limit {
			due = append(due, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range due {
		if err := b.forwards.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
