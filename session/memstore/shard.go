package memstore

import (
	"sync"
	"time"
	"unsafe"

	"github.com/sesame-go/sesame/session"
)

// An entry is one stored record. rec.Values is never modified once stored: it is
// replaced whole, which is what lets Load hand it out without a copy.
type entry struct {
	key string
	rec session.Record
	exp time.Time // rec.Expires(), zero for never
	idx int       // position in the shard's expiryHeap

	// movedTo makes the entry a forwarding mark left by Move: the record now
	// lives under movedTo. Load, Patch, Move, Range and UserSessions see no
	// record here; Delete follows the mark (session.Mover).
	movedTo string

	// signedIn: the record held a user at some point (Meta.User). Eviction
	// takes the records that never did first (evict.go).
	signedIn   bool
	prev, next *entry // the shard's recency list for its class
}

// live reports whether a record with deadline exp is valid at now
// (session.Meta.Live, without recomputing the deadline).
func live(exp, now time.Time) bool {
	return exp.IsZero() || now.Before(exp)
}

// shardState is everything one shard guards with its mutex.
type shardState struct {
	mu    sync.RWMutex
	m     map[string]*entry
	heap  expiryHeap
	users map[string]map[string]struct{} // user → keys of their records in this shard
	// Recency lists, most recently written first: records that never held a
	// user (and forwarding marks), and records that did.
	anon, known recency
}

// shard pads shardState to a multiple of 128 bytes (two cache lines, the unit
// adjacent-line prefetchers fetch) so that readers of neighbouring shards do not
// contend on one line.
type shard struct {
	shardState
	_ [128 - unsafe.Sizeof(shardState{})%128]byte
}

func (sh *shard) init() {
	sh.m = make(map[string]*entry)
	sh.heap = nil
	sh.users = make(map[string]map[string]struct{})
	sh.anon, sh.known = recency{}, recency{}
}

// insert stores a new record. The caller holds the write lock and has made
// sure key is not present.
func (sh *shard) insert(key string, rec session.Record, exp time.Time) {
	e := &entry{key: key, rec: rec, exp: exp, signedIn: rec.User != ""}
	sh.m[key] = e
	sh.heap.push(e)
	sh.index(e.rec.User, key)
	sh.list(e).pushFront(e)
}

// replace gives an existing entry a new record. The caller holds the write lock.
func (sh *shard) replace(e *entry, rec session.Record, exp time.Time) {
	if rec.User != e.rec.User {
		sh.unindex(e.rec.User, e.key)
		sh.index(rec.User, e.key)
	}
	sh.list(e).unlink(e)
	e.movedTo = ""
	e.signedIn = e.signedIn || rec.User != ""
	sh.list(e).pushFront(e)
	e.rec = rec
	if !exp.Equal(e.exp) {
		e.exp = exp
		sh.heap.fix(e.idx)
	}
}

// remove deletes an entry. The caller holds the write lock.
func (sh *shard) remove(e *entry) {
	delete(sh.m, e.key)
	sh.heap.remove(e.idx)
	sh.unindex(e.rec.User, e.key)
	sh.list(e).unlink(e)
}

// removeExpired removes up to limit expired entries from the top of the heap
// and reports how many it removed. The caller holds the write lock.
func (sh *shard) removeExpired(now time.Time, limit int) int {
	n := 0
	for n < limit {
		e := sh.heap.peek()
		if e == nil || live(e.exp, now) {
			break
		}
		sh.remove(e)
		n++
	}
	return n
}

// index and unindex maintain the user index; anonymous records are not indexed.
func (sh *shard) index(user, key string) {
	if user == "" {
		return
	}
	keys := sh.users[user]
	if keys == nil {
		keys = make(map[string]struct{}, 1)
		sh.users[user] = keys
	}
	keys[key] = struct{}{}
}

func (sh *shard) unindex(user, key string) {
	if user == "" {
		return
	}
	keys := sh.users[user]
	delete(keys, key)
	if len(keys) == 0 {
		delete(sh.users, user)
	}
}
