package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore/internal/record"
	bolt "go.etcd.io/bbolt"
)

// Load returns the live record under key. An expired record is a miss even before
// the sweep deletes it. The returned Values are the caller's own copy.
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if err := ctx.Err(); err != nil {
		return session.Record{}, false, s.fail("load", err)
	}
	var (
		rec   session.Record
		found bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(sessionsBucket).Get([]byte(key))
		if v == nil {
			return nil
		}
		// Meta first: an expired record costs no copy of its values.
		m, err := record.DecodeMeta(v)
		if err != nil || !m.Live(time.Now()) {
			return err
		}
		rec, err = record.Decode(v)
		found = err == nil
		return err
	})
	if err != nil {
		return session.Record{}, false, s.fail("load", err)
	}
	return rec, found, nil
}

// Save writes rec under key in one transaction with its index entries. A record
// already past its deadline replaces the old one by removing it: nothing could
// load it.
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	if err := ctx.Err(); err != nil {
		return s.fail("save", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		k := []byte(key)
		if err := b.forwards.Delete(k); err != nil { // a Save replaces whatever is there
			return err
		}
		old := b.sessions.Get(k)
		if !rec.Live(time.Now()) {
			if old == nil {
				return nil
			}
			return b.remove(k, old)
		}
		return b.put(k, old, rec)
	})
	if err != nil {
		return s.fail("save", err)
	}
	return nil
}

// Patch applies p in one read-write transaction. bbolt runs one such transaction
// at a time, so concurrent patches of different keys all survive.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, s.fail("patch", err)
	}
	var applied bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		k := []byte(key)
		old := b.sessions.Get(k)
		if old == nil {
			return nil
		}
		now := time.Now()
		next, live, err := b.patched(k, old, p, now)
		if err != nil || !live {
			return err
		}
		applied = true
		if !next.Live(now) {
			return b.remove(k, old)
		}
		return b.put(k, old, next)
	})
	if err != nil {
		return false, s.fail("patch", err)
	}
	return applied, nil
}

// Delete removes the record under key and its index entries; a missing key is not
// an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return s.fail("delete", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := bucketsOf(tx)
		k := []byte(key)
		// A forward (the old key of a moved session) is deleted with the
		// session it points to, and so on along a chain of moves: a destroy
		// that loaded the session before a Regenerate moved it still ends it.
		// Each forward is deleted as it is followed, so the walk ends even
		// on a cycle; within one transaction the chain cannot grow.
		for {
			if old := b.sessions.Get(k); old != nil {
				return b.remove(k, old)
			}
			fw := b.forwards.Get(k)
			if len(fw) < 8 {
				return nil
			}
			next := bytes.Clone(fw[8:])
			if err := b.forwards.Delete(k); err != nil {
				return err
			}
			k = next
		}
	})
	if err != nil {
		return s.fail("delete", err)
	}
	return nil
}

// patched decodes the record stored under key (bytes old) and returns it with p
// applied: p.Meta replaces its Meta, p.Set is written and p.Delete removed over
// the values stored now. live is false when the stored record has expired: it is
// removed while we are here and never resurrected. Patch and Move share it.
func (b buckets) patched(key, old []byte, p session.Patch, now time.Time) (next session.Record, live bool, err error) {
	rec, err := record.Decode(old)
	if err != nil {
		return session.Record{}, false, err
	}
	if !rec.Live(now) {
		return session.Record{}, false, b.remove(key, old)
	}
	values := rec.Values // Decode's own map: ours to change
	if values == nil {
		values = make(map[string]json.RawMessage, len(p.Set))
	}
	for name, v := range p.Set {
		values[name] = v // Encode copies the bytes: p.Set is not retained
	}
	for _, name := range p.Delete {
		delete(values, name)
	}
	return session.Record{Meta: p.Meta, Values: values}, true, nil
}
