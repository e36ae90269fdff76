package mongostore

import (
	"context"
	"errors"
	"time"

	"github.com/sesame-go/sesame/session"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Load returns the live record stored under key in one query. A document whose
// deadline has passed is a miss even before the TTL monitor or the cleanup
// deletes it, and so is one that a Move is taking away.
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	now := time.Now()
	// By _id alone, the one filter every server answers from its index; the
	// mark and the deadline are checked here.
	raw, ok, err := s.liveDoc(ctx, key, now)
	switch {
	case err != nil:
		return session.Record{}, false, s.fail(ctx, "load", err)
	case !ok:
		return session.Record{}, false, nil
	}
	_, rec, err := readDocument(raw)
	if err != nil {
		return session.Record{}, false, s.fail(ctx, "load", err)
	}
	if !rec.Live(now) {
		return session.Record{}, false, nil
	}
	return rec, true, nil
}

// Save writes rec under key, replacing any document there (one replaceOne with
// upsert). A record whose deadline has passed is deleted instead.
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	if err := ctx.Err(); err != nil {
		return s.fail(ctx, "save", err)
	}
	unlock, err := s.locks.lock(ctx, key)
	if err != nil {
		return s.fail(ctx, "save", err)
	}
	defer unlock()
	if !rec.Live(time.Now()) {
		if _, err := s.coll.DeleteOne(ctx, bson.D{{Key: fID, Value: key}}); err != nil {
			return s.fail(ctx, "save", err)
		}
		return nil
	}
	doc, err := newDocument(key, rec)
	if err != nil {
		return s.fail(ctx, "save", err)
	}
	opts := options.Replace().SetUpsert(true)
	_, err = s.coll.ReplaceOne(ctx, bson.D{{Key: fID, Value: key}}, doc, opts)
	if mongo.IsDuplicateKeyError(err) {
		// Two upserts of one new key raced; the loser replaces the winner's
		// document, which now exists.
		_, err = s.coll.ReplaceOne(ctx, bson.D{{Key: fID, Value: key}}, doc, opts)
	}
	if err != nil {
		return s.fail(ctx, "save", err)
	}
	return nil
}

// Patch applies p in one updateOne: $set and $unset on the paths of the keys it
// writes and removes, so that concurrent patches of different keys both survive.
// The update's filter is the live filter of Load, so a patch of a destroyed,
// expired or moving record matches nothing and changes nothing.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	unlock, err := s.locks.lock(ctx, key)
	if err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	defer unlock()
	now := time.Now()
	if !p.Meta.Live(now) {
		// The session ended with this request: nothing may be left to load.
		if _, err := s.coll.DeleteOne(ctx, bson.D{{Key: fID, Value: key}}); err != nil {
			return false, s.fail(ctx, "patch", err)
		}
		return false, nil
	}
	update, err := patchUpdate(p)
	if err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	applied, err := s.updateLive(ctx, key, now, update)
	if err != nil {
		return false, s.fail(ctx, "patch", err)
	}
	return applied, nil
}

// patchUpdate is the update document of p: every written key goes to v or raw and
// is removed from the other, every deleted key is removed from both.
func patchUpdate(p session.Patch) (bson.D, error) {
	v, raw, err := splitValues(p.Set)
	if err != nil {
		return nil, err
	}
	set, unset := metaFields(p.Meta)
	for _, e := range v {
		set = append(set, bson.E{Key: fValues + "." + e.Key, Value: e.Value})
		unset = append(unset, bson.E{Key: fRaw + "." + e.Key, Value: ""})
	}
	for _, e := range raw {
		set = append(set, bson.E{Key: fRaw + "." + e.Key, Value: e.Value})
		unset = append(unset, bson.E{Key: fValues + "." + e.Key, Value: ""})
	}
	for _, name := range p.Delete {
		field := escapeKey(name)
		unset = append(unset,
			bson.E{Key: fValues + "." + field, Value: ""},
			bson.E{Key: fRaw + "." + field, Value: ""})
	}
	update := bson.D{{Key: "$set", Value: set}}
	if len(unset) > 0 {
		update = append(update, bson.E{Key: "$unset", Value: unset})
	}
	return update, nil
}

// Delete removes the document under key; a missing one is not an error. When a
// Move took or is taking the document to a new key, Delete removes the new key
// too, and the keys it was moved to since (see Move).
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return s.fail(ctx, "delete", err)
	}
	// Follow the chain of forwarding marks, bounded.
	for range maxChain {
		next, err := s.deleteOne(ctx, key)
		if err != nil || next == "" {
			return err
		}
		key = next
	}
	return nil
}

// deleteOne deletes the document under key and returns the key its Move mark
// names, if any.
func (s *Store) deleteOne(ctx context.Context, key string) (next string, err error) {
	unlock, err := s.locks.lock(ctx, key)
	if err != nil {
		return "", s.fail(ctx, "delete", err)
	}
	defer unlock()
	// FerretDB v1 has no projection in findAndModify: the whole document comes back.
	raw, err := s.coll.FindOneAndDelete(ctx, bson.D{{Key: fID, Value: key}}).Raw()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return "", nil
	case err != nil:
		return "", s.fail(ctx, "delete", err)
	}
	next, _ = raw.Lookup(fMoving).StringValueOK()
	return next, nil
}

// maxChain bounds how many forwarding marks a Delete follows: one per rotation
// of the session within its lifetime.
const maxChain = 64

// UserSessions returns the live sessions of user, oldest first, in one indexed
// query; "" (anonymous) has none. A session a Move is taking to a new key is
// listed under its old key, so that "sign out everywhere" deletes it and, with it,
// the new key (see Move).
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.fail(ctx, "list", err)
	}
	if user == "" {
		return nil, nil
	}
	now := time.Now()
	filter := bson.D{{Key: fUser, Value: user}, notExpired(now)} // moving or not
	opts := options.Find().SetSort(bson.D{{Key: fCreated, Value: 1}, {Key: fID, Value: 1}})
	entries, err := s.find(ctx, filter, opts, now, nil)
	if err != nil {
		return nil, s.fail(ctx, "list", err)
	}
	return entries, nil
}

// rangePage is how many documents Range reads per query.
const rangePage = 500

// Range calls fn for every live record, in key order, reading the collection a
// page at a time so that fn may itself use the store.
func (s *Store) Range(ctx context.Context, fn func(key string, rec session.Record) error) error {
	after := ""
	page := make([]session.Entry, 0, rangePage)
	for {
		if err := ctx.Err(); err != nil {
			return s.fail(ctx, "list", err)
		}
		now := time.Now()
		filter := bson.D{{Key: fID, Value: bson.D{{Key: "$gt", Value: after}}}, notMoving, notExpired(now)}
		opts := options.Find().SetSort(bson.D{{Key: fID, Value: 1}}).SetLimit(rangePage)
		var err error
		page, err = s.find(ctx, filter, opts, now, page[:0])
		if err != nil {
			return s.fail(ctx, "list", err)
		}
		for _, e := range page {
			if err := fn(e.Key, e.Record); err != nil {
				return err
			}
		}
		if len(page) < rangePage {
			return nil
		}
		after = page[len(page)-1].Key
	}
}

// find reads every document filter matches into dst, leaving out those whose
// exact deadline has passed.
func (s *Store) find(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder, now time.Time, dst []session.Entry) ([]session.Entry, error) {
	cur, err := s.coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		key, rec, err := readDocument(cur.Current)
		if err != nil {
			return nil, err
		}
		if rec.Live(now) {
			dst = append(dst, session.Entry{Key: key, Record: rec})
		}
	}
	return dst, cur.Err()
}
