package connectredis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
)

// Move, for Session.Regenerate: the session under oldKey moves to newKey, built
// from the record as it is in Redis at that moment (its JSON patched by
// compat/express's Records, every member the patch does not change kept byte
// for byte, so Express reads it under the new ID as before) plus the request's
// patch, only if it is still there.
//
// # Forwarding marks
//
// The old record is not simply deleted: a mark under a key of its own,
// ForwardPrefix + "{" + Prefix + old ID + "}", says "moved:" + the new ID for
// redisstore.ForwardTTL. The mark is outside Prefix, so Express never reads it
// as a session (connect-redis's get, all, length and clear see only Prefix),
// and its hash tag puts it in the old record's Redis Cluster slot, so that one
// transaction holds both. Load ignores marks, so the old ID opens nothing; only
// Delete follows one (and a chain of them), which is what lets a destroy that
// loaded the session before the move win even when its DEL lands after it.
// Express's own destroy does not follow marks: a logout on the Express side that
// loaded the session before a Go rotation ends only the old ID (connect-redis
// has no conditional writes; see the package doc).
//
// # One server (and a Sentinel-managed primary)
//
// One optimistic transaction: WATCH the old record and its mark, read both,
// patch the JSON in Go, then MULTI: SET the new record with its TTL, DEL the old
// one, SET the mark; EXEC, retried when either key changed meanwhile (a Go
// patch, an Express save or destroy). A concurrent patch of the old key commits
// wholly before (its change is carried over) or after (it finds no record:
// applied == false, never acknowledged and lost).
//
// # Cluster and Ring
//
// The two records are in different slots and no transaction holds both. The
// move takes three steps, as redisstore's (stores/redisstore/move.go):
//
//  1. mark (old slot): in a WATCH transaction, if the old record exists and has
//     no mark, set the mark to "moving:" + new ID and keep the record's bytes.
//     From then on Patch refuses the old key (applied == false), so the copy
//     cannot miss an acknowledged Go write. Load still finds it.
//  2. write (new slot): SET the new record, the copy with the patch applied.
//  3. finalize (old slot): in a WATCH transaction, only if the mark is still
//     this move's and the record still holds the bytes copied in step 1, DEL
//     the record and set the mark to "moved:" + new ID. This is the moment the
//     move takes effect. If the mark or the record is gone, something destroyed
//     the session between the steps: the new record is deleted and Move
//     reports moved == false. If the record holds other bytes, Express saved
//     the session meanwhile (Express does not know the mark): steps 2 and 3
//     run again from those bytes, so Express's write is carried over too.
//
// Why a destroy at any point wins. A Delete of the old key before step 3
// removes the record and the mark, and step 3 gives way. A Delete after step 3
// finds the "moved:" mark and deletes the new record. There is no user index in
// connect-redis's format, so no "sign out everywhere" to race.
//
// Failures. When step 2 or 3 fails, Move removes its mark and the new record
// (best effort, on a context of its own) and returns the error: the session
// stays under its old key, or, when step 3's outcome is unknown, is gone; never
// live under both. A process that dies between the steps leaves a "moving:"
// mark: Go patches of the old key are refused until it expires (ForwardTTL),
// which ends the user's changes, not their session; the copy, whose ID no
// browser received, expires with its TTL.
//
// A session ID whose key holds a '}' outside a hash tag cannot share a slot
// with its mark (neither express-session's uid-safe IDs nor sesame's do): on a
// Cluster or Ring, Move refuses it with an error.

const (
	markMoving = "moving:" // a Cluster move between its steps
	markMoved  = "moved:"  // a forward: Delete follows it
)

var _ session.Mover = (*Store)(nil)

// forwardKey returns the key of the mark for a session ID, and whether it is in
// the same Redis Cluster slot (and Ring shard) as the record, which it always
// is when the record's key holds no '}' or holds a hash tag of its own.
func (s *Store) forwardKey(id string) (string, bool) {
	full := s.prefix + id
	if i := strings.IndexByte(full, '{'); i >= 0 {
		if j := strings.IndexByte(full[i+1:], '}'); j > 0 {
			// full has a hash tag: the mark, whose prefix has no brace, has
			// the same one.
			return s.fwd + full, true
		}
	}
	if !strings.ContainsRune(full, '}') {
		return s.fwd + "{" + full + "}", true
	}
	return s.fwd + full, s.single
}

// Move moves the session under oldKey to newKey, applying p, only if a session
// is under oldKey; moved reports whether it was. A patch that ends the session
// (its TTL comes to 0, as connect-redis computes it) removes it instead, and
// moved is false. See move.go's documentation for how the move is atomic on one
// server and on a Cluster.
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (moved bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, fail(ctx, "move", err)
	}
	fk, colocated := s.forwardKey(oldKey)
	if !colocated {
		return false, fail(ctx, "move", fmt.Errorf("%w: %q", ErrUnmovable, oldKey))
	}
	if s.single {
		moved, err = s.moveOne(ctx, oldKey, newKey, fk, p)
	} else {
		moved, err = s.moveSplit(ctx, oldKey, newKey, fk, p)
	}
	if errors.Is(err, redis.TxFailedErr) {
		err = fmt.Errorf("%w: %w", ErrContention, err)
	}
	if err != nil {
		return false, fail(ctx, "move", err)
	}
	return moved, nil
}

// ErrUnmovable is wrapped by the error of a Move, on a Redis Cluster or Ring, of
// a session whose ID holds a '}' outside a hash tag: its forwarding mark cannot
// share the record's slot. express-session's default genid never makes one;
// an app whose genid does must change it to rotate sessions on a Cluster.
var ErrUnmovable = errors.New("connectredis: the session ID holds a '}' outside a Redis Cluster hash tag, so Move cannot keep its forwarding mark in the record's slot; make express-session's genid return IDs without braces")

// moveWrite is the new record a move writes: the patched JSON and its TTL, or
// end == true when the patch ends the session.
type moveWrite struct {
	value []byte
	ttl   time.Duration
	end   bool
}

// newRecord builds the new record from the old one's bytes. corrupt is true when
// old is not an express-session record (logged): there is nothing to move.
func (s *Store) newRecord(key string, old []byte, p session.Patch) (w moveWrite, corrupt bool) {
	x, err := s.recs.Patch(old, p, time.Now())
	if err != nil {
		s.corrupt(key, err)
		return moveWrite{}, true
	}
	switch x.Op {
	case express.OpDelete:
		return moveWrite{end: true}, false
	case express.OpExpire:
		// Nothing but the activity time changed: the record keeps its bytes,
		// as connect-redis's touch keeps them, under the new key.
		return moveWrite{value: old, ttl: time.Duration(x.TTL) * time.Second}, false
	default:
		return moveWrite{value: x.Value, ttl: time.Duration(x.TTL) * time.Second}, false
	}
}

// moveOne is the single-server move: one optimistic transaction, retried.
func (s *Store) moveOne(ctx context.Context, oldKey, newKey, fk string, p session.Patch) (moved bool, err error) {
	rk, nk := s.prefix+oldKey, s.prefix+newKey
	err = optimistic(ctx, func() error {
		moved = false
		return s.client.Watch(ctx, func(tx *redis.Tx) error {
			vals, err := tx.MGet(ctx, rk, fk).Result()
			if err != nil {
				return err
			}
			old, ok := vals[0].(string)
			if !ok || vals[1] != nil {
				return nil // gone, or already moved (or moving)
			}
			w, corrupt := s.newRecord(oldKey, []byte(old), p)
			if corrupt {
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				if !w.end {
					pipe.Set(ctx, nk, w.value, w.ttl)
					pipe.Set(ctx, fk, markMoved+newKey, redisstore.ForwardTTL)
				}
				pipe.Del(ctx, rk)
				return nil
			})
			moved = err == nil && !w.end
			return err
		}, rk, fk)
	})
	return moved, err
}

// moveSplit is the Cluster (and Ring) move: mark, write, finalize.
func (s *Store) moveSplit(ctx context.Context, oldKey, newKey, fk string, p session.Patch) (bool, error) {
	rk, nk := s.prefix+oldKey, s.prefix+newKey
	moving := markMoving + newKey

	// Step 1: mark the old record and read it.
	var old []byte
	err := optimistic(ctx, func() error {
		old = nil
		return s.client.Watch(ctx, func(tx *redis.Tx) error {
			vals, err := tx.MGet(ctx, rk, fk).Result()
			if err != nil {
				return err
			}
			v, ok := vals[0].(string)
			if !ok || vals[1] != nil {
				return nil // gone, already moving, or moved
			}
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				pipe.Set(ctx, fk, moving, redisstore.ForwardTTL)
				return nil
			})
			if err == nil {
				old = []byte(v)
			}
			return err
		}, rk, fk)
	})
	if err != nil {
		// The mark may have been set before the reply was lost.
		s.undoMove(ctx, fk, moving, "")
		return false, err
	}
	if old == nil {
		return false, nil
	}

	for range maxAttempts {
		w, corrupt := s.newRecord(oldKey, old, p)
		if corrupt || w.end {
			// Nothing this store can move, or the patch ends the session.
			if w.end {
				if err := s.Delete(ctx, oldKey); err != nil {
					return false, err
				}
			}
			s.undoMove(ctx, fk, moving, "")
			return false, nil
		}
		// Step 2: the new record.
		if err := s.client.Set(ctx, nk, w.value, w.ttl).Err(); err != nil {
			s.undoMove(ctx, fk, moving, nk)
			return false, err
		}
		// Step 3: finalize, only if nothing destroyed or rewrote the old
		// record meanwhile.
		var (
			done    bool
			changed []byte
		)
		err := s.client.Watch(ctx, func(tx *redis.Tx) error {
			done, changed = false, nil
			vals, err := tx.MGet(ctx, rk, fk).Result()
			if err != nil {
				return err
			}
			cur, ok := vals[0].(string)
			if vals[1] != moving || !ok {
				return nil // destroyed between the steps
			}
			if cur != string(old) {
				changed = []byte(cur)
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				pipe.Del(ctx, rk)
				pipe.Set(ctx, fk, markMoved+newKey, redisstore.ForwardTTL)
				return nil
			})
			done = err == nil
			return err
		}, rk, fk)
		switch {
		case errors.Is(err, redis.TxFailedErr):
			continue // the old record changed under the check: check again
		case err != nil:
			s.undoMove(ctx, fk, moving, nk)
			return false, err
		case done:
			return true, nil
		case changed != nil:
			old = changed // Express saved the session: carry its write over
		default:
			// A destroy ran between the steps: it wins.
			s.undoMove(ctx, fk, moving, nk)
			return false, nil
		}
	}
	s.undoMove(ctx, fk, moving, nk)
	return false, redis.TxFailedErr
}

// unmarkScript removes a move's mark if it is still that move's.
//
//	KEYS[1]  the mark
//	ARGV[1]  "moving:" + the new ID
var unmarkScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 1
`)

// undoMove clears a mark this move set and, when nk is not empty, removes the
// new record it may have written: the session stays under its old key. It runs
// on a context of its own (the call's may be what failed) and ignores errors: a
// mark left behind makes Go patches of the old key fail until it expires, the
// safe side.
func (s *Store) undoMove(ctx context.Context, fk, moving, nk string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	unmarkScript.Run(ctx, s.client, []string{fk}, moving)
	if nk != "" {
		s.client.Del(ctx, nk)
	}
}
