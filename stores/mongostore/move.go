package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/session"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Move rotates the session under oldKey to newKey for Session.Regenerate.
//
// MongoDB changes one document atomically; a transaction over two needs a
// replica set, and FerretDB v1 has none. So Move takes three steps, each atomic on
// one document, and the other operations respect them:
//
//  1. findOneAndUpdate marks the live, unmarked old document with moving: newKey
//     and returns it as it is at that moment. From then on Load, Move, Range and
//     Patch treat it as missing (a Patch reports applied == false): no write to
//     the old key can be acknowledged and then lost. A patch acknowledged before
//     the mark is in the returned document, so in the new one.
//  2. insertOne writes the new document: the marked document's values with p
//     applied, and p.Meta.
//  3. replaceOne, only if the old document still carries this mark, strips it to
//     a forwarding mark: {_id, moving: newKey, expires: p.Meta.Expires()}. If it
//     is gone, a destroyer took it meanwhile: Move deletes the new document and
//     reports moved == false.
//
// Delete deletes the document under its key and, when it carries a mark, the
// document the mark names, and so on along a chain of rotations. So a destroy wins
// whichever order the steps interleave in: before step 1 the mark finds nothing;
// between steps 1 and 3 the destroyer removes the old document (and the new one,
// if written), and step 3 then finds nothing and removes the new one; after step 3
// the forwarding mark leads the destroyer to the new key. A logout that loaded the
// session before a rotation still signs it out. UserSessions lists a document in
// flight (marked, with its user) under its old key, and the new one as soon as it
// is written, so a "sign out everywhere" that deletes what it lists reaches one of
// them. Forwarding marks carry no user and no values and end at the moved
// session's deadline (the TTL index and Cleanup remove them).
//
// A Move interrupted between its steps (the server or the process fails) leaves
// the old document marked: the session is signed out, never duplicated or
// brought back. Move undoes the mark when the insert fails, if the server still
// answers.
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, s.fail(ctx, "move", err)
	}
	if oldKey == newKey {
		return false, s.fail(ctx, "move", errors.New("the new key is the old key"))
	}
	unlock, err := s.locks.lock(ctx, oldKey)
	if err != nil {
		return false, s.fail(ctx, "move", err)
	}
	defer unlock()
	now := time.Now()
	old, err := s.markLive(ctx, oldKey, newKey, now)
	switch {
	case err != nil:
		return false, s.fail(ctx, "move", err)
	case old == nil:
		return false, nil
	}
	marked := bson.D{{Key: fID, Value: oldKey}, {Key: fMoving, Value: newKey}}

	doc, err := movedDocument(newKey, old, p)
	if err != nil {
		s.undo(ctx, marked, "unmark", oldKey)
		return false, s.fail(ctx, "move", err)
	}
	_, oldRec, err := readDocument(old)
	if err != nil {
		s.undo(ctx, marked, "unmark", oldKey)
		return false, s.fail(ctx, "move", err)
	}
	if !oldRec.Live(now) || !p.Meta.Live(now) {
		// Expired to the nanosecond, or ended by this very request: nothing to move.
		if _, derr := s.coll.DeleteOne(ctx, marked); derr != nil {
			return false, s.fail(ctx, "move", derr)
		}
		return false, nil
	}
	if _, err := s.coll.InsertOne(ctx, doc); err != nil {
		s.undo(ctx, marked, "unmark", oldKey)
		if mongo.IsDuplicateKeyError(err) {
			err = fmt.Errorf("a session is already stored under the new key: %w", err)
		}
		return false, s.fail(ctx, "move", err)
	}
	finished, err := s.finishMove(ctx, oldKey, newKey, p.Meta.Expires())
	if err != nil {
		// Whether the old document went is unknown: take the new one back, so that
		// the failure signs the session out rather than leaving two.
		s.undo(ctx, bson.D{{Key: fID, Value: newKey}}, "delete", newKey)
		return false, s.fail(ctx, "move", err)
	}
	if !finished {
		// Destroyed while it moved: the destroy wins.
		if _, err := s.coll.DeleteOne(ctx, bson.D{{Key: fID, Value: newKey}}); err != nil {
			return false, s.fail(ctx, "move", err)
		}
		return false, nil
	}
	return true, nil
}

// undoTimeout bounds the clean-up of a failed Move, which runs even when the
// request's context has ended.
const undoTimeout = 2 * time.Second

// undo removes a failed Move's mark ("unmark") or its new document ("delete"),
// best effort: when it fails too, the session stays signed out.
func (s *Store) undo(ctx context.Context, filter bson.D, what, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	var err error
	if what == "unmark" {
		_, err = s.coll.UpdateOne(ctx, filter, bson.D{{Key: "$unset", Value: bson.D{{Key: fMoving, Value: ""}}}})
	} else {
		_, err = s.coll.DeleteOne(ctx, filter)
	}
	if err != nil {
		s.logger.WarnContext(ctx, "mongostore: could not clean up after a failed move; the session stays signed out",
			"collection", s.name, "step", what, "err", err)
	}
}

// movedDocument builds the document under newKey from the marked old document
// with p applied: the old values that p neither writes nor deletes are copied as
// they are stored, then p.Set is added, and p.Meta replaces the Meta.
func movedDocument(newKey string, old bson.Raw, p session.Patch) (bson.D, error) {
	setV, setRaw, err := splitValues(p.Set)
	if err != nil {
		return nil, err
	}
	drop := make(map[string]struct{}, len(p.Set)+len(p.Delete))
	for name := range p.Set {
		drop[escapeKey(name)] = struct{}{}
	}
	for _, name := range p.Delete {
		drop[escapeKey(name)] = struct{}{}
	}
	keep := func(field string, add bson.D) (bson.D, error) {
		sub, _ := old.Lookup(field).DocumentOK()
		elems, err := sub.Elements()
		if err != nil {
			return nil, err
		}
		out := make(bson.D, 0, len(elems)+len(add))
		for _, e := range elems {
			if _, ok := drop[e.Key()]; !ok {
				out = append(out, bson.E{Key: e.Key(), Value: e.Value()})
			}
		}
		return append(out, add...), nil
	}
	v, err := keep(fValues, setV)
	if err != nil {
		return nil, err
	}
	raw, err := keep(fRaw, setRaw)
	if err != nil {
		return nil, err
	}
	set, _ := metaFields(p.Meta)
	doc := make(bson.D, 0, len(set)+3)
	doc = append(doc, bson.E{Key: fID, Value: newKey}, bson.E{Key: fValues, Value: v})
	if len(raw) > 0 {
		doc = append(doc, bson.E{Key: fRaw, Value: raw})
	}
	return append(doc, set...), nil
}

// findOneAndUpdateAfter returns the document as the update left it.
var findOneAndUpdateAfter = options.FindOneAndUpdate().SetReturnDocument(options.After)
