package boltstore

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore/internal/record"
	bolt "go.etcd.io/bbolt"
)

// buckets are the store's buckets within one transaction.
type buckets struct {
	sessions, users, expiry, forwards *bolt.Bucket
}

func bucketsOf(tx *bolt.Tx) buckets {
	return buckets{tx.Bucket(sessionsBucket), tx.Bucket(usersBucket), tx.Bucket(expiryBucket), tx.Bucket(forwardsBucket)}
}

// put writes rec under key and moves its index entries from those of old, the
// encoded record it replaces (nil when there is none).
func (b buckets) put(key, old []byte, rec session.Record) error {
	if old != nil {
		if err := b.unindex(key, old); err != nil {
			return err
		}
	}
	if err := b.sessions.Put(key, record.Encode(nil, rec)); err != nil {
		return err
	}
	if rec.User != "" {
		ub, err := b.users.CreateBucketIfNotExists([]byte(rec.User))
		if err != nil {
			return err
		}
		if err := ub.Put(key, nil); err != nil {
			return err
		}
	}
	if exp := rec.Expires(); !exp.IsZero() {
		return b.expiry.Put(expiryKey(exp, key), nil)
	}
	return nil
}

// remove deletes the record under key, whose encoding is old, and its index entries.
func (b buckets) remove(key, old []byte) error {
	if err := b.unindex(key, old); err != nil {
		return err
	}
	return b.sessions.Delete(key)
}

// unindex deletes the index entries of the record under key, whose encoding is old.
// A corrupt record has entries nobody can name; they are harmless (every index
// read checks the record it points to) and the sweep drops them.
func (b buckets) unindex(key, old []byte) error {
	m, err := record.DecodeMeta(old)
	if err != nil {
		return nil
	}
	if err := b.unindexUser(key, m.User); err != nil {
		return err
	}
	if exp := m.Expires(); !exp.IsZero() {
		return b.expiry.Delete(expiryKey(exp, key))
	}
	return nil
}

// unindexUser deletes key from user's bucket, and the bucket once it is empty so
// that users who signed out for good leave nothing behind.
func (b buckets) unindexUser(key []byte, user string) error {
	if user == "" {
		return nil
	}
	ub := b.users.Bucket([]byte(user))
	if ub == nil {
		return nil
	}
	if err := ub.Delete(key); err != nil {
		return err
	}
	if k, _ := ub.Cursor().First(); k == nil {
		return b.users.DeleteBucket([]byte(user))
	}
	return nil
}

// expiryKey is the expiry bucket's key of a record with deadline exp: the deadline
// first, so that keys sort by deadline.
func expiryKey(exp time.Time, key []byte) []byte {
	k := make([]byte, 8, 8+len(key))
	binary.BigEndian.PutUint64(k, sortableNanos(exp))
	return append(k, key...)
}

// Bounds of time.Time.UnixNano, outside which it is undefined.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// sortableNanos maps t to a uint64 whose big-endian bytes sort as t does.
// Deadlines outside 1678..2262 are clamped: one before is long past, one after is
// beyond any sweep.
func sortableNanos(t time.Time) uint64 {
	var n int64
	switch {
	case t.Before(minNanoTime):
		n = math.MinInt64
	case t.After(maxNanoTime):
		n = math.MaxInt64
	default:
		n = t.UnixNano()
	}
	return uint64(n) ^ 1<<63 // flip the sign bit: negative before positive
}
