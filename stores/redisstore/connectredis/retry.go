package connectredis

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"
)

// maxAttempts bounds the optimistic retries of one patch or move step.
// Conflicts need a concurrent write of the same session between a GET and an
// EXEC; with n writers of one session at once, the last one commits at its nth
// attempt at worst (one commits per round), and the conformance suite runs 50.
// The caller's context (the Manager's StoreTimeout) bounds the whole.
const maxAttempts = 64

// optimistic runs one WATCH transaction (fn) until it commits, fails otherwise,
// or has lost maxAttempts times in a row (redis.TxFailedErr). Between attempts
// it waits a random pause that doubles up to 6.4 ms, so that writers who lost
// together do not collide again in lockstep.
func optimistic(ctx context.Context, fn func() error) error {
	var err error
	for n := range maxAttempts {
		if n > 0 {
			t := time.NewTimer(time.Duration(rand.Int64N(int64(50*time.Microsecond) << min(n, 7))))
			select {
			case <-ctx.Done():
				t.Stop()
				return errors.Join(ctx.Err(), err)
			case <-t.C:
			}
		}
		if err = fn(); !errors.Is(err, redis.TxFailedErr) {
			return err
		}
	}
	return err
}
