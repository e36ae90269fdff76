package mongostore

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Index names Migrate creates.
const (
	ttlIndex     = "sesame_expires_ttl" // expires, expireAfterSeconds 0
	expiresIndex = "sesame_expires"     // expires, where the server has no TTL index
	userIndex    = "sesame_user"        // user
)

// Migrate creates the collection's indexes: a TTL index on expires, so that the
// server deletes ended sessions (its TTL monitor runs once a minute), and an
// index on user for UserSessions. It is idempotent. It also asks whether the
// server is FerretDB, whose conditional writes take another form (ferretdb.go):
// call it before serving.
//
// A server without TTL indexes (FerretDB v1 answers NotImplemented) gets a plain
// index on expires instead, for Cleanup; Migrate logs that once per Store through
// Config.Logger and returns nil. Expired sessions are never loaded either way: Load
// checks the deadline, and Cleanup (every Config.CleanupInterval) deletes them.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.detectFerretDB(ctx); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	ix := s.coll.Indexes()
	_, err := ix.CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: fExpires, Value: 1}},
		Options: options.Index().SetName(ttlIndex).SetExpireAfterSeconds(0),
	})
	if notImplemented(err) {
		s.noTTLOnce.Do(func() {
			s.logger.InfoContext(ctx, "mongostore: the server has no TTL indexes; expired sessions are deleted by the store's cleanup instead",
				"collection", s.name, "err", err)
		})
		_, err = ix.CreateOne(ctx, mongo.IndexModel{
			Keys:    bson.D{{Key: fExpires, Value: 1}},
			Options: options.Index().SetName(expiresIndex),
		})
	}
	if err != nil {
		return s.fail(ctx, "migrate", err)
	}
	if _, err := ix.CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: fUser, Value: 1}},
		Options: options.Index().SetName(userIndex),
	}); err != nil {
		return s.fail(ctx, "migrate", err)
	}
	return nil
}

// notImplemented reports a server's answer that it has no such feature
// (NotImplemented, code 238, as FerretDB answers expireAfterSeconds).
func notImplemented(err error) bool {
	var ce mongo.CommandError
	if errors.As(err, &ce) {
		return ce.Code == 238 || ce.Name == "NotImplemented"
	}
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCode(238)
}
