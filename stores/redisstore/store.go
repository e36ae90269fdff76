package redisstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
)

// Name is the store name in errors and problem+json bodies.
const Name = "redis"

// Store keeps sessions in Redis. It implements session.Store, session.Patcher,
// session.Mover, session.UserIndex, session.Iterator and session.Pinger, and is
// safe for concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
	// single is true when one server holds every key, so that one script can
	// write a session and its user sets together.
	single bool
	warn   *warnOnce
	cache  *cache // nil: Load reads from Redis every time (Config.Cache)
}

var (
	_ session.Store     = (*Store)(nil)
	_ session.Patcher   = (*Store)(nil)
	_ session.UserIndex = (*Store)(nil)
	_ session.Iterator  = (*Store)(nil)
	_ session.Pinger    = (*Store)(nil)
)

// New returns a Store over cfg.Client, or every problem with cfg joined. It does
// not contact Redis: call Ping for that.
func New(cfg Config) (*Store, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultPrefix
	}
	_, single := cfg.Client.(*redis.Client)
	s := &Store{
		client: cfg.Client,
		prefix: cfg.Prefix,
		single: single,
		warn:   newWarnOnce(cfg.Logger),
	}
	if cfg.Cache != nil {
		s.cache = newCache(cfg.Client, cfg.Cache, cfg.Logger)
	}
	return s, nil
}

// Name returns "redis".
func (s *Store) Name() string { return Name }

// Load reads a session with one HGETALL, answered from the client-side cache
// when Config.Cache is set and the session was read before and not changed
// since. A record that Redis has not yet dropped but that has expired by the
// application's clock is reported missing, as is a record that cannot be
// decoded (logged once).
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if err := ctx.Err(); err != nil {
		return session.Record{}, false, fail(ctx, "load", err)
	}
	if c := s.cache; c != nil && c.active.Load() {
		if e, ok := c.loadCached(ctx, s.prefix, key); ok {
			if !e.found || !e.rec.Live(time.Now()) {
				return session.Record{}, false, nil
			}
			return e.rec, true, nil
		}
	}
	fields, err := s.reader(ctx).HGetAll(ctx, s.sessionKey(key)).Result()
	if err != nil {
		if redis.HasErrorPrefix(err, "WRONGTYPE") {
			s.warn.corrupt(key, corrupt("the key is not a hash"))
			return session.Record{}, false, nil
		}
		return session.Record{}, false, fail(ctx, "load", err)
	}
	if len(fields) == 0 {
		return session.Record{}, false, nil
	}
	rec, err := decode(fields)
	if err != nil {
		if err != errMoved {
			s.warn.corrupt(key, err)
		}
		return session.Record{}, false, nil
	}
	if !rec.Live(time.Now()) {
		return session.Record{}, false, nil
	}
	return rec, true, nil
}

// Save replaces the session under key with rec in one atomic script call, and
// indexes it under rec.User. A record that has already expired is deleted.
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	defer s.evict(key)
	_, err := s.write(ctx, "save", key, rec.Meta, nil, rec.Values)
	return err
}

// Patch applies p to the session under key in one atomic script call, only if
// that session exists and is live; applied reports whether it did.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (applied bool, err error) {
	defer s.evict(key)
	return s.write(ctx, "patch", key, p.Meta, p.Delete, p.Set)
}

// Delete removes the session under key and its user index entry.
func (s *Store) Delete(ctx context.Context, key string) error {
	defer s.evict(key)
	_, err := s.remove(ctx, "delete", key)
	return err
}

// write runs writeScript for a save or a patch (op).
func (s *Store) write(ctx context.Context, op, key string, m session.Meta, del []string, set map[string]json.RawMessage) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fail(ctx, op, err)
	}
	now := time.Now()
	ttl := ttlMillis(m.Expires(), now)
	if ttl < 0 {
		// Writing a record that has already ended is deleting it: a patch that
		// expires a session "applies" when there was one to remove.
		return s.remove(ctx, op, key)
	}
	patch, prefix := "0", ""
	if op == "patch" {
		patch = "1"
	}
	keys := make([]string, 1, 2)
	keys[0] = s.sessionKey(key)
	if s.single {
		prefix = s.prefix
		if m.User != "" {
			keys = append(keys, s.userKey(m.User))
		}
	}
	args := make([]any, 0, 7+len(del)+2*metaFields+2*len(set))
	args = append(args, patch, now.UnixMilli(), ttl, prefix, key, m.User, len(del))
	for _, f := range del {
		args = append(args, valuePrefix+f)
	}
	args = appendMeta(args, m)
	for f, v := range set {
		args = append(args, valuePrefix+f, []byte(v))
	}

	w := call{script: writeScript, keys: keys, args: args}
	if s.single || m.User == "" {
		w.run(ctx, s.client)
	} else {
		// The user set is in another slot: index the session in the same
		// pipeline (one round trip per node, the nodes in parallel). Indexing
		// first or in parallel never leaves a live session missing from its
		// set for longer than a failed call; a stale member is pruned by
		// UserSessions.
		idx := call{script: indexScript, keys: []string{s.userKey(m.User)}, args: []any{key, ttl}}
		pipelined(ctx, s.client, &idx, &w)
		if err := idx.cmd.Err(); err != nil {
			return false, fail(ctx, op, err)
		}
	}
	applied, old, err := w.result()
	if err != nil {
		return false, fail(ctx, op, err)
	}
	if applied && !s.single && old != "" && old != m.User {
		// The session moved to another user. If this fails, the stale member
		// is dropped by the old user's next UserSessions; the write itself
		// succeeded, so it is not reported.
		s.client.SRem(ctx, s.userKey(old), key)
	}
	return applied, nil
}

// remove runs deleteScript for op and reports whether a record was there. When
// key is the forward of a moved session, the session it points to is removed
// too (and so on along a chain of moves): a destroy that loaded the session
// before a Regenerate moved it still ends it (see move.go).
func (s *Store) remove(ctx context.Context, op, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fail(ctx, op, err)
	}
	prefix := ""
	if s.single {
		prefix = s.prefix
	}
	removed := false
	// The chase has no length limit: a thief rotating in a loop adds a hop per
	// Move, the chase removes one per round trip, so it catches up. Each forward
	// is deleted as it is followed, so a cycle ends at the first key seen again.
	var seen map[string]bool
	for {
		d := call{script: deleteScript, keys: []string{s.sessionKey(key)}, args: []any{prefix, key}}
		d.run(ctx, s.client)
		deleted, strs, err := d.results(2)
		if err != nil {
			return false, fail(ctx, op, err)
		}
		old, to := strs[0], strs[1]
		if !s.single && old != "" {
			// Best effort, as in write: UserSessions prunes what this misses.
			s.client.SRem(ctx, s.userKey(old), key)
		}
		removed = removed || deleted
		if to == "" {
			break
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		if seen[to] {
			break
		}
		seen[key] = true
		key = to
	}
	return removed, nil
}
