package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/sesame-go/sesame/session"
)

// UserSessions lists the live sessions of user (session.UserIndex), oldest
// first; expired ones it meets are removed on the way. Anonymous sessions
// belong to nobody: UserSessions("") lists nothing.
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if user == "" {
		return nil, nil
	}
	var out []session.Entry
	for i := range s.shards {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sh := &s.shards[i]
		now := time.Now()
		sh.mu.Lock()
		var expired []*entry
		for key := range sh.users[user] {
			e := sh.m[key]
			if live(e.exp, now) {
				out = append(out, session.Entry{Key: key, Record: e.rec})
			} else {
				expired = append(expired, e)
			}
		}
		for _, e := range expired {
			sh.remove(e)
		}
		sh.mu.Unlock()
		s.swept.Add(uint64(len(expired)))
	}
	slices.SortFunc(out, func(a, b session.Entry) int {
		return cmp.Or(a.Record.Created.Compare(b.Record.Created), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}
