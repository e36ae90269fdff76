package connectredis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
)

// Name is the store name in errors and problem+json bodies.
const Name = "connect-redis"

// ErrContention is wrapped by the error of a patch that lost maxAttempts
// optimistic transactions in a row.
var ErrContention = errors.New("connectredis: the session changed under every attempt to patch it")

// Store keeps sessions in connect-redis's format. It implements session.Store,
// session.Patcher, session.Mover and session.Pinger, and is safe for
// concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
	fwd    string // Config.ForwardPrefix
	// single is true when one server holds every key (a *redis.Client, also
	// when Sentinel-managed), so that one transaction can hold both keys of a
	// move (move.go).
	single bool
	recs   *express.Records
	logger *slog.Logger
	warned atomic.Int32 // corrupt records logged so far
}

var (
	_ session.Store   = (*Store)(nil)
	_ session.Patcher = (*Store)(nil)
	_ session.Pinger  = (*Store)(nil)
)

// New returns a Store over cfg.Client, or every problem with cfg joined. It
// does not contact Redis: call Ping for that.
func New(cfg Config) (*Store, error) {
	err := cfg.validate()
	recs, rerr := express.NewRecords(cfg.Cookie, cfg.TTL)
	if err = errors.Join(err, rerr); err != nil {
		return nil, err
	}
	if cfg.Prefix == "" {
		cfg.Prefix = express.DefaultPrefix
	}
	if cfg.ForwardPrefix == "" {
		cfg.ForwardPrefix = DefaultForwardPrefix
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	_, single := cfg.Client.(*redis.Client)
	return &Store{client: cfg.Client, prefix: cfg.Prefix, fwd: cfg.ForwardPrefix, single: single, recs: recs, logger: cfg.Logger}, nil
}

// Name returns "connect-redis".
func (s *Store) Name() string { return Name }

// Records returns the record codec the store writes with.
func (s *Store) Records() *express.Records { return s.recs }

// Load reads the record and its remaining TTL in one transaction (GET, PTTL).
// The session ends when Redis drops the key, whatever the stored
// cookie.expires says. A value express-session cannot read either is reported
// missing (and logged).
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	rk := s.prefix + key
	var get *redis.StringCmd
	var pttl *redis.DurationCmd
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		get = p.Get(ctx, rk)
		pttl = p.PTTL(ctx, rk)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return session.Record{}, false, nil
	}
	if err != nil {
		return session.Record{}, false, fail(ctx, "load", err)
	}
	data, _ := get.Bytes()
	ttl := pttl.Val() // -1: no TTL (disableTTL), which Decode reads as live
	now := time.Now()
	rec, err := s.recs.Decode(data, ttl, now)
	if err != nil {
		s.corrupt(key, err)
		return session.Record{}, false, nil
	}
	if !rec.Live(now) {
		return session.Record{}, false, nil
	}
	return rec, true, nil
}

// Save writes rec as connect-redis writes a new session: SET key json EX ttl,
// or DEL when the TTL comes to 0 or less.
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	w := s.recs.Encode(rec, time.Now())
	rk := s.prefix + key
	var err error
	if w.Op == express.OpDelete {
		err = s.client.Del(ctx, rk).Err()
	} else {
		err = s.client.Set(ctx, rk, w.Value, time.Duration(w.TTL)*time.Second).Err()
	}
	if err != nil {
		return fail(ctx, "save", err)
	}
	return nil
}

// Patch applies p in an optimistic transaction: WATCH the key, GET it, apply p
// to its JSON keeping every other member's bytes, then SET it (or EXPIRE it
// for a touch) in MULTI/EXEC, retried when the key changed meanwhile. A key
// that is gone is not recreated: applied is false. A record that a Cluster
// Move has marked (move.go) is not patched either: the move has copied it
// already, so the change would be lost; applied is false.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (applied bool, err error) {
	rk := s.prefix + key
	fk, colocated := s.forwardKey(key)
	watched := []string{rk}
	if colocated {
		watched = append(watched, fk)
	}
	err = optimistic(ctx, func() error {
		applied = false
		return s.client.Watch(ctx, func(tx *redis.Tx) error {
			vals, err := tx.MGet(ctx, watched...).Result()
			if err != nil {
				return err
			}
			old, ok := vals[0].(string)
			if !ok {
				return nil // gone
			}
			if len(vals) > 1 {
				if m, ok := vals[1].(string); ok && strings.HasPrefix(m, markMoving) {
					return nil // being moved
				}
			}
			now := time.Now()
			w, err := s.recs.Patch([]byte(old), p, now)
			if err != nil {
				s.corrupt(key, err)
				return nil
			}
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				switch w.Op {
				case express.OpSet:
					pipe.Set(ctx, rk, w.Value, time.Duration(w.TTL)*time.Second)
				case express.OpExpire:
					pipe.Expire(ctx, rk, time.Duration(w.TTL)*time.Second)
				case express.OpDelete:
					pipe.Del(ctx, rk)
				}
				return nil
			})
			applied = err == nil
			return err
		}, watched...)
	})
	if errors.Is(err, redis.TxFailedErr) {
		err = fmt.Errorf("%w: %w", ErrContention, err)
	}
	if err != nil {
		return false, fail(ctx, "patch", err)
	}
	return applied, nil
}

// Delete removes the record, as connect-redis's destroy does (DEL), together
// with the forwarding mark under key, if any. When key is the old ID of a
// session Move rotated, the mark names the new ID, which is deleted in turn,
// along a chain of moves: a logout that loaded the session before a
// Regenerate still ends it (move.go).
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "delete", err)
	}
	// The chase has no length limit: a thief rotating in a loop adds a hop per
	// Move, the chase removes one per round trip, so it catches up. Each mark
	// is deleted as it is followed, so a cycle ends at the first key seen again.
	var seen map[string]bool
	for {
		fk, colocated := s.forwardKey(key)
		if !colocated {
			// No mark can exist for this key (Move refuses it).
			if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
				return fail(ctx, "delete", err)
			}
			return nil
		}
		var mark *redis.StringCmd
		_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
			mark = p.Get(ctx, fk)
			p.Del(ctx, s.prefix+key, fk)
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return fail(ctx, "delete", err)
		}
		to, ok := strings.CutPrefix(mark.Val(), markMoved)
		if !ok {
			// No mark, or a move still under way: removing its mark made it
			// give way (it deletes the record it wrote).
			return nil
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		seen[key] = true
		if seen[to] {
			return nil
		}
		key = to
	}
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fail(ctx, "ping", err)
	}
	return nil
}

// corrupt logs a record that is not express-session's, for the first 32 of
// them: a foreign key under the prefix that every request trips over must not
// flood the log. The key is the raw session ID: only a hash of it is logged.
func (s *Store) corrupt(key string, err error) {
	if s.warned.Add(1) > 32 {
		return
	}
	sum := sha256.Sum256([]byte(key))
	s.logger.Warn("connectredis: ignoring a record express-session cannot read either; it is treated as missing",
		"key", "sha256:"+hex.EncodeToString(sum[:16]), "reason", err.Error())
}

// fail wraps err as the StoreError of op, wrapping ctx's error (and cause) when
// ctx is done: go-redis reports a deadline that reached the socket as an i/o
// timeout.
func fail(ctx context.Context, op string, err error) error {
	if ce := ctx.Err(); ce != nil {
		if !errors.Is(err, ce) {
			err = fmt.Errorf("%w: %w", ce, err)
		}
		if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
			err = fmt.Errorf("%w: %w", cause, err)
		}
	}
	return &session.StoreError{Store: Name, Op: op, Err: err}
}
