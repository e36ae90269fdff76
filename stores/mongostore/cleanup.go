package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Cleanup deletes the documents whose deadline has passed and returns how many.
// Where the server keeps a TTL index (MongoDB does, see Migrate) it deletes them
// too, once a minute; Cleanup makes the store's space independent of it. Several
// instances may run it at once: each document is deleted once.
func (s *Store) Cleanup(ctx context.Context) (deleted int64, err error) {
	filter := bson.D{{Key: fExpires, Value: bson.D{{Key: "$lte", Value: bson.NewDateTimeFromTime(time.Now())}}}}
	res, err := s.coll.DeleteMany(ctx, filter)
	if err != nil {
		return 0, s.fail(ctx, "cleanup", err)
	}
	return res.DeletedCount, nil
}

// cleanupLoop runs Cleanup every interval until ctx ends. Errors go to the logger:
// a failed round is retried at the next tick, and expired documents are never
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
		n, err := s.Cleanup(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.ErrorContext(ctx, "mongostore: cleanup of expired sessions failed", "collection", s.name, "err", err)
		case n > 0:
			s.logger.DebugContext(ctx, "mongostore: deleted expired sessions", "collection", s.name, "count", n)
		}
	}
}
