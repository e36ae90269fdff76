package pgstore

import (
	"context"
	"time"
)

// Cleanup runs one cleanup round: it deletes the expired rows and returns how many,
// and whether this instance ran the round at all.
//
// Instances sharing the table take turns: the round runs in a transaction that
// first takes pg_try_advisory_xact_lock(CleanupLockKey()); when another instance
// holds it, Cleanup returns (0, false, nil) at once instead of repeating the same
// DELETE on the same rows. The lock ends with the transaction, so a crashed
// instance never holds it.
func (s *Store) Cleanup(ctx context.Context) (deleted int64, ran bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, false, s.fail(ctx, "cleanup", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it is a no-op
	var locked bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, s.cleanupKey).Scan(&locked); err != nil {
		return 0, false, s.fail(ctx, "cleanup", err)
	}
	if !locked {
		return 0, false, nil
	}
	tag, err := tx.Exec(ctx, s.q.cleanup)
	if err != nil {
		return 0, false, s.fail(ctx, "cleanup", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, false, s.fail(ctx, "cleanup", err)
	}
	return tag.RowsAffected(), true, nil
}

// CleanupLockKey returns the advisory lock key the cleanup rounds of this table
// take, derived from its schema-qualified name: every instance sharing the table
// uses the same key, and it shows in pg_locks (classid and objid hold its two
// halves) while a round runs.
func (s *Store) CleanupLockKey() int64 { return s.cleanupKey }

// cleanupLoop runs a cleanup round every interval until ctx ends. Errors go to the
// logger: a failed round is retried at the next tick, and expired rows are never
// served meanwhile.
func (s *Store) cleanupLoop(ctx context.Context, interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, ran, err := s.Cleanup(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.ErrorContext(ctx, "pgstore: cleanup of expired sessions failed", "table", s.name, "err", err)
		case ran && n > 0:
			s.logger.DebugContext(ctx, "pgstore: deleted expired sessions", "table", s.name, "count", n)
		}
	}
}
