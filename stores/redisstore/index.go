package redisstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
)

// UserSessions lists the live sessions of user, sorted by key, for "list my
// sessions" and "sign out everywhere". It reads the user's set (SMEMBERS) and
// then every listed hash in one pipeline, and returns only the records that Load
// would find and that still name user: a member whose hash is gone, expired,
// undecodable or now owned by another user is stale and is removed from the set
// (best effort, SREM). Anonymous sessions (user "") are not indexed: the list is
// empty.
func (s *Store) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fail(ctx, "list", err)
	}
	if user == "" {
		return nil, nil
	}
	set := s.userKey(user)
	members, err := s.client.SMembers(ctx, set).Result()
	if err != nil {
		if redis.HasErrorPrefix(err, "WRONGTYPE") {
			s.warn.corrupt("u:"+user, corrupt("the user index is not a set"))
			return nil, nil
		}
		return nil, fail(ctx, "list", err)
	}
	if len(members) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(members))
	// Errors are read per command below: a WRONGTYPE reply for one foreign key
	// must not hide the others.
	_, _ = s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, m := range members {
			cmds[i] = p.HGetAll(ctx, s.sessionKey(m))
		}
		return nil
	})
	now := time.Now()
	entries := make([]session.Entry, 0, len(members))
	var stale []any
	for i, cmd := range cmds {
		key := members[i]
		rec, found, movedTo, err := s.decodeReply(key, cmd)
		if err != nil {
			return nil, fail(ctx, "list", err)
		}
		if movedTo != "" {
			// The session moved after SMEMBERS: list it under its new key,
			// which the set may not have held when it was read, so that a
			// "sign out everywhere" racing a Regenerate deletes it.
			key, rec, found, err = s.follow(ctx, movedTo)
			if err != nil {
				return nil, fail(ctx, "list", err)
			}
			stale = append(stale, members[i])
			if found && rec.User == user && rec.Live(now) {
				entries = append(entries, session.Entry{Key: key, Record: rec})
			}
			continue
		}
		if !found || rec.User != user || !rec.Live(now) {
			stale = append(stale, key)
			continue
		}
		entries = append(entries, session.Entry{Key: key, Record: rec})
	}
	// A forward and its new key may both be members: list the session once.
	slices.SortFunc(entries, byKey)
	entries = slices.CompactFunc(entries, func(a, b session.Entry) bool { return a.Key == b.Key })
	if len(stale) > 0 {
		// Best effort: a failure leaves members that the next call prunes.
		s.client.SRem(ctx, set, stale...)
	}
	return entries, nil
}

func byKey(a, b session.Entry) int { return strings.Compare(a.Key, b.Key) }

// follow reads the session a forward points to, following further forwards
// (a chain of moves made since the user's set was read) until a key that is
// not a forward, or one seen before (a cycle, which a Move into a former
// forward's key could make).
func (s *Store) follow(ctx context.Context, key string) (string, session.Record, bool, error) {
	seen := map[string]bool{}
	for !seen[key] {
		seen[key] = true
		rec, found, movedTo, err := s.decodeReply(key, s.client.HGetAll(ctx, s.sessionKey(key)))
		if err != nil || movedTo == "" {
			return key, rec, found, err
		}
		key = movedTo
	}
	return key, session.Record{}, false, nil
}

// decodeReply turns an HGETALL reply into a record; undecodable data is logged
// and reported missing, and err is set only when Redis failed. A forward (the
// old key of a moved session) is reported missing with the new store key in
// movedTo.
func (s *Store) decodeReply(key string, cmd *redis.MapStringStringCmd) (rec session.Record, found bool, movedTo string, err error) {
	fields, err := cmd.Result()
	if err != nil {
		if redis.HasErrorPrefix(err, "WRONGTYPE") {
			s.warn.corrupt(key, corrupt("the key is not a hash"))
			return session.Record{}, false, "", nil
		}
		return session.Record{}, false, "", err
	}
	if len(fields) == 0 {
		return session.Record{}, false, "", nil
	}
	rec, err = decode(fields)
	if err == errMoved {
		return session.Record{}, false, fields[fieldMoved], nil
	}
	if err != nil {
		s.warn.corrupt(key, err)
		return session.Record{}, false, "", nil
	}
	return rec, true, "", nil
}
