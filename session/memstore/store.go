package memstore

import (
	"context"
	"encoding/json"
	"errors"
	"hash/maphash"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sesame-go/sesame/session"
)

// ErrClosed is returned by every method of a Store after Close.
var ErrClosed = errors.New("memstore: store closed")

// maxShards bounds the shard count: 64 shards keep lock contention negligible on
// any machine a single-process session store runs on.
const maxShards = 64

// minPerShard is the smallest per-shard bound worth splitting a store for;
// below it, fewer shards keep MaxEntries close to exact.
const minPerShard = 1024

// A Store keeps session records in memory. Its methods are safe for concurrent
// use. Close stops its sweeper.
type Store struct {
	shards    []shard
	mask      uint64
	seed      maphash.Seed
	perShard  int
	closed    atomic.Bool
	sweeper   *sweeper
	evicted   atomic.Uint64
	swept     *atomic.Uint64 // shared with the sweeper goroutine
	closeOnce sync.Once
	cleanup   runtime.Cleanup // stops the sweeper of a Store dropped without Close
}

// New returns a Store configured by c, with its sweeper running. Every problem
// with c is reported at once, as *problem.Problem values joined with
// errors.Join.
func New(c Config) (*Store, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	n := shardCount(c.MaxEntries)
	s := &Store{
		shards:   make([]shard, n),
		mask:     uint64(n - 1),
		seed:     maphash.MakeSeed(),
		perShard: (c.MaxEntries + n - 1) / n,
		swept:    new(atomic.Uint64),
	}
	for i := range s.shards {
		s.shards[i].init()
	}
	s.sweeper = startSweeper(s.shards, c.SweepInterval, s.swept)
	// A Store dropped without Close must not keep its goroutine (and through
	// it every record) alive for ever: the sweeper holds no reference to the
	// Store, so the Store can be collected, and this stops the sweeper then.
	s.cleanup = runtime.AddCleanup(s, (*sweeper).stop, s.sweeper)
	return s, nil
}

// shardCount is the largest power of two up to maxShards that leaves each
// shard at least minPerShard records (and at least 1 shard).
func shardCount(maxEntries int) int {
	n := maxEntries / minPerShard
	if n < 1 {
		return 1
	}
	if n >= maxShards {
		return maxShards
	}
	return 1 << (bits.Len(uint(n)) - 1)
}

// Name returns "memory", the name the Manager uses in errors and in Explain.
func (s *Store) Name() string { return "memory" }

// Close stops the sweeper, waits for it to exit and drops every record. It is
// idempotent and returns nil; after it, every method returns ErrClosed.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.cleanup.Stop()
		s.sweeper.stop()
		for i := range s.shards {
			sh := &s.shards[i]
			sh.mu.Lock()
			sh.init()
			sh.mu.Unlock()
		}
	})
	return nil
}

// check returns the error a call must fail with before doing anything: the
// context's, or ErrClosed.
func (s *Store) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return ErrClosed
	}
	return nil
}

func (s *Store) shardFor(key string) *shard {
	return &s.shards[maphash.String(s.seed, key)&s.mask]
}

// Load returns the record under key, if it exists and has not expired. The
// Values map is the stored one, shared and never modified: callers must not
// modify it either (session.Store). Load does not allocate.
func (s *Store) Load(ctx context.Context, key string) (session.Record, bool, error) {
	if err := s.check(ctx); err != nil {
		return session.Record{}, false, err
	}
	sh := s.shardFor(key)
	var (
		rec session.Record
		exp time.Time
	)
	sh.mu.RLock()
	e, ok := sh.m[key]
	if ok {
		rec, exp, ok = e.rec, e.exp, e.movedTo == ""
	}
	sh.mu.RUnlock()
	// The clock is read only when it matters, and outside the lock: a miss or
	// a record without deadline needs no time.Now.
	if !ok || (!exp.IsZero() && !time.Now().Before(exp)) {
		return session.Record{}, false, nil
	}
	return rec, true, nil
}

// Save stores a copy of rec under key, replacing any record there. A record
// already past its deadline replaces the old one with nothing. Saving a new key
// into a full shard evicts a record there (Config.MaxEntries says which).
func (s *Store) Save(ctx context.Context, key string, rec session.Record) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	now := time.Now()
	exp := rec.Expires()
	sh := s.shardFor(key)
	if !live(exp, now) {
		sh.mu.Lock()
		if e, ok := sh.m[key]; ok {
			sh.remove(e)
		}
		sh.mu.Unlock()
		return nil
	}
	stored := session.Record{Meta: rec.Meta, Values: cloneValues(rec.Values)}
	sh.mu.Lock()
	if e, ok := sh.m[key]; ok {
		sh.replace(e, stored, exp)
	} else {
		if len(sh.m) >= s.perShard {
			s.makeRoom(sh, now)
		}
		sh.insert(key, stored, exp)
	}
	sh.mu.Unlock()
	return nil
}

// Delete removes the record under key; a missing key is not an error. When key
// holds a forwarding mark left by Move, Delete removes it and deletes the key it
// points to, and so on along the chain of moves (session.Mover): a logout that
// loaded the session before a concurrent rotation still signs it out. Each step
// takes one shard's lock; a move that lands between two steps moves a record
// whose mark the next step follows.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.check(ctx); err != nil {
		return err
	}
	for key != "" {
		sh := s.shardFor(key)
		sh.mu.Lock()
		e, ok := sh.m[key]
		key = ""
		if ok {
			key = e.movedTo
			sh.remove(e)
		}
		sh.mu.Unlock()
	}
	return nil
}

// Ping reports whether the store serves requests: nil until Close.
func (s *Store) Ping(ctx context.Context) error {
	return s.check(ctx)
}

// cloneValues copies src into a new map whose values share one new buffer, so
// the store keeps no reference to the caller's map or bytes. Empty gives nil.
func cloneValues(src map[string]json.RawMessage) map[string]json.RawMessage {
	if len(src) == 0 {
		return nil
	}
	buf := make([]byte, 0, valuesSize(src))
	dst := make(map[string]json.RawMessage, len(src))
	for k, v := range src {
		buf, dst[k] = appendValue(buf, v)
	}
	return dst
}

func valuesSize(m map[string]json.RawMessage) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

// appendValue copies v to the end of buf and returns the copy, capped so that
// appending to it can never overwrite the value stored after it.
func appendValue(buf []byte, v []byte) ([]byte, json.RawMessage) {
	start := len(buf)
	buf = append(buf, v...)
	return buf, buf[start:len(buf):len(buf)]
}
