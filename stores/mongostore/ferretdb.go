package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// FerretDB v1 on SQLite turns only a filter that is exactly {_id: key} into an
// indexed SQL lookup; any other filter (such as {_id: key, moving: {$exists:
// false}, ...}) reads every document of the collection. Its updates are not
// atomic anyway (keylock.go), so a condition in the filter protects nothing there
// that a read by _id followed by a write by _id, under the key's lock, does not.
// Migrate asks the server (buildInfo carries ferretdbVersion on FerretDB); on
// FerretDB the conditional writes take that form, and on MongoDB they stay one
// atomic conditional command.

// detectFerretDB records whether the server is FerretDB.
func (s *Store) detectFerretDB(ctx context.Context) error {
	raw, err := s.coll.Database().RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return err
	}
	_, err = raw.LookupErr("ferretdbVersion")
	s.byID.Store(err == nil)
	return nil
}

// liveDoc reads the document under key by _id alone and reports whether it is
// live at now and not being moved (with the moving key it names, if any).
func (s *Store) liveDoc(ctx context.Context, key string, now time.Time) (doc bson.Raw, ok bool, err error) {
	doc, err = s.coll.FindOne(ctx, bson.D{{Key: fID, Value: key}}).Raw()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	if _, moving := doc.Lookup(fMoving).StringValueOK(); moving {
		return doc, false, nil
	}
	if exp, has := doc.Lookup(fExpires).DateTimeOK(); has && !now.Before(time.UnixMilli(exp)) {
		return doc, false, nil
	}
	return doc, true, nil
}

// updateLive applies update to the live document under key and reports whether
// there was one: one conditional updateOne on MongoDB, a read and an update by
// _id on FerretDB. The caller holds key's lock.
func (s *Store) updateLive(ctx context.Context, key string, now time.Time, update bson.D) (bool, error) {
	if !s.byID.Load() {
		res, err := s.coll.UpdateOne(ctx, live(key, now), update)
		if err != nil {
			return false, err
		}
		return res.MatchedCount == 1, nil
	}
	_, ok, err := s.liveDoc(ctx, key, now)
	if err != nil || !ok {
		return false, err
	}
	res, err := s.coll.UpdateOne(ctx, bson.D{{Key: fID, Value: key}}, update)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}

// markLive sets the Move mark on the live, unmarked document under key and
// returns the document with the mark, or nil when there is none. The caller holds
// key's lock.
func (s *Store) markLive(ctx context.Context, key, newKey string, now time.Time) (bson.Raw, error) {
	mark := bson.D{{Key: "$set", Value: bson.D{{Key: fMoving, Value: newKey}}}}
	filter := live(key, now)
	if s.byID.Load() {
		_, ok, err := s.liveDoc(ctx, key, now)
		if err != nil || !ok {
			return nil, err
		}
		filter = bson.D{{Key: fID, Value: key}}
	}
	opts := findOneAndUpdateAfter
	doc, err := s.coll.FindOneAndUpdate(ctx, filter, mark, opts).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	return doc, err
}

// finishMove turns the document under key, if it still carries the mark newKey,
// into a forwarding mark: only _id, moving and expires (exp; none when zero) are
// kept, so that Delete of the old key still reaches newKey until the moved
// session's deadline. It reports whether the mark was still there. The caller
// holds key's lock.
func (s *Store) finishMove(ctx context.Context, key, newKey string, exp time.Time) (bool, error) {
	tomb := bson.D{{Key: fID, Value: key}, {Key: fMoving, Value: newKey}}
	if !exp.IsZero() {
		tomb = append(tomb, bson.E{Key: fExpires, Value: expiresDate(exp)})
	}
	filter := bson.D{{Key: fID, Value: key}, {Key: fMoving, Value: newKey}}
	if s.byID.Load() {
		doc, err := s.coll.FindOne(ctx, bson.D{{Key: fID, Value: key}}).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if m, _ := doc.Lookup(fMoving).StringValueOK(); m != newKey {
			return false, nil
		}
		filter = bson.D{{Key: fID, Value: key}}
	}
	res, err := s.coll.ReplaceOne(ctx, filter, tomb)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}
