package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sesame-go/sesame/session"
)

// ForwardTTL is how long the old key of a moved session keeps pointing at the
// new one (the row's moved_to column): long enough for any request that loaded
// the session before the move to finish, so that a destroy it makes then also
// ends the moved session; the cleanup removes it afterwards.
const ForwardTTL = time.Minute

// Move moves the session under oldKey to newKey for Session.Regenerate, in one
// transaction: SELECT ... FOR UPDATE locks the old row, but only a live session
// (not expired, not already moved); the new row is built from the old row as it
// is now (the columns, not a copy the caller loaded) with p applied, as Patch
// applies it; the old row becomes a forward that names newKey for ForwardTTL.
// moved reports whether there was a session to move.
//
// The row lock orders Move with every other write of the old key. A Patch that
// committed first is carried over; one that waited for the lock re-reads the row,
// finds the forward and is not applied (never acknowledged and lost). A Delete of
// the old key that committed first leaves nothing to lock (moved == false); one
// that comes after deletes the forward and then the new row (see Delete), so a
// logout or a "sign out everywhere" that read the old key before the move still
// ends the session. UserSessions reads one snapshot: it lists the old key or the
// new one, never neither. The user index is the user_name column, which follows.
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (moved bool, err error) {
	if !validKey(oldKey) {
		return false, nil // never stored
	}
	if err := checkKey(newKey); err != nil {
		return false, s.fail(ctx, "move", err)
	}
	sp, err := splitValues(p.Set)
	if err != nil {
		return false, s.fail(ctx, "move", err)
	}
	delData, delRaw := deletions(p.Delete, sp)
	m := p.Meta
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, s.q.moveLock, oldKey).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue(s.q.moveInsert, oldKey, newKey, delData, sp.data, delRaw, sp.raw, m.Created, m.Touched, int64(m.Idle),
			timestamptz(m.Absolute), timestamptz(m.Expires()), text(m.User))
		b.Queue(s.q.moveForward, oldKey, newKey, ForwardTTL.Milliseconds())
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		moved = true
		return nil
	})
	if err != nil {
		return false, s.fail(ctx, "move", err)
	}
	return moved, nil
}
