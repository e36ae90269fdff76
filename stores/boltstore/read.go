package boltstore

import (
	"bytes"
	"context"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore/internal/record"
	bolt "go.etcd.io/bbolt"
)

// UserSessions returns the live sessions of user, in key order. Each index entry
// is checked against the record it names, so the list never holds a session Load
// would not find.
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, s.fail("list", err)
	}
	if user == "" {
		return nil, nil
	}
	var entries []session.Entry
	err := s.db.View(func(tx *bolt.Tx) error {
		ub := tx.Bucket(usersBucket).Bucket([]byte(user))
		if ub == nil {
			return nil
		}
		sessions := tx.Bucket(sessionsBucket)
		now := time.Now()
		return ub.ForEach(func(k, _ []byte) error {
			v := sessions.Get(k)
			if v == nil {
				return nil
			}
			rec, err := record.Decode(v)
			if err != nil {
				return err
			}
			if rec.User == user && rec.Live(now) {
				entries = append(entries, session.Entry{Key: string(k), Record: rec})
			}
			return nil
		})
	})
	if err != nil {
		return nil, s.fail("list", err)
	}
	return entries, nil
}

// rangePage is how many records Range reads per read transaction.
const rangePage = 500

// Range calls fn for every live record, in key order. It reads a page at a time and
// calls fn outside any transaction: bbolt can deadlock when one goroutine holds a
// read transaction while it opens a write one, and fn may well write.
func (s *Store) Range(ctx context.Context, fn func(key string, rec session.Record) error) error {
	var after []byte
	page := make([]session.Entry, 0, rangePage)
	for {
		if err := ctx.Err(); err != nil {
			return s.fail("list", err)
		}
		page = page[:0]
		more := false
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(sessionsBucket).Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			now := time.Now()
			for ; k != nil; k, v = c.Next() {
				if len(page) == rangePage {
					more = true
					return nil
				}
				rec, err := record.Decode(v)
				if err != nil {
					return err
				}
				if rec.Live(now) {
					page = append(page, session.Entry{Key: string(k), Record: rec})
				}
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return s.fail("list", err)
		}
		for _, e := range page {
			if err := fn(e.Key, e.Record); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
	}
}
