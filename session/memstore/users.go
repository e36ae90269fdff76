package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/sesame-go/sesame/session"
)

// UserSessions lists the live sessions of user (session.UserIndex), oldest
// first. Expired ones it meets are removed on the way, so the index never
// lists what Load would not find. Anonymous sessions belong to nobody:
// UserSessions("") lists nothing.
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if user == "" {
		return nil, nil
	}
	// Every shard's read lock at once, taken in shard order as Move takes its
	// write locks: a Move between two shards is then wholly before or after the
	// listing, which so finds the old key or the new one, never neither
	// (session.Mover).
	var (
		out     []session.Entry
		expired [][]string
	)
	for i := range s.shards {
		s.shards[i].mu.RLock()
	}
	now := time.Now()
	for i := range s.shards {
		sh := &s.shards[i]
		var exp []string
		for key := range sh.users[user] {
			e := sh.m[key]
			if live(e.exp, now) {
				out = append(out, session.Entry{Key: key, Record: e.rec})
			} else {
				exp = append(exp, key)
			}
		}
		if exp != nil {
			if expired == nil {
				expired = make([][]string, len(s.shards))
			}
			expired[i] = exp
		}
	}
	for i := range s.shards {
		s.shards[i].mu.RUnlock()
	}
	for i, keys := range expired {
		if len(keys) > 0 {
			s.prune(&s.shards[i], keys, now)
		}
	}
	slices.SortFunc(out, func(a, b session.Entry) int {
		return cmp.Or(a.Record.Created.Compare(b.Record.Created), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}

// prune removes the records under keys that are still expired at now (one may
// have been saved anew since the read lock was released).
func (s *Store) prune(sh *shard, keys []string, now time.Time) {
	n := 0
	sh.mu.Lock()
	for _, key := range keys {
		if e, ok := sh.m[key]; ok && !live(e.exp, now) {
			sh.remove(e)
			n++
		}
	}
	sh.mu.Unlock()
	s.swept.Add(uint64(n))
}
