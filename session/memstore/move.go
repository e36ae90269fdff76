package memstore

import (
	"context"
	"errors"
	"hash/maphash"
	"time"

	"github.com/sesame-go/sesame/session"
)

// ErrKeyExists is returned by Move when newKey already holds a record.
var ErrKeyExists = errors.New("memstore: Move: the new key already holds a record")

// Move rotates the record under oldKey to newKey (session.Mover) under the
// locks of both keys' shards (taken in shard order, so two moves never wait on
// each other): the new record is the stored one with p applied, as Patch
// applies it, and oldKey becomes a forwarding mark to newKey until p.Meta's
// deadline, which only Delete follows. A missing, expired or already moved
// oldKey changes nothing and reports false. A p.Meta that has already expired
// removes the old record and stores nothing.
func (s *Store) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
	if err := s.check(ctx); err != nil {
		return false, err
	}
	now := time.Now()
	exp := p.Meta.Expires()
	buf := make([]byte, 0, valuesSize(p.Set)) // outside the locks
	from, to := s.shardIndex(oldKey), s.shardIndex(newKey)
	s.lockPair(from, to)
	defer s.unlockPair(from, to)
	shA, shB := &s.shards[from], &s.shards[to]

	e, ok := shA.m[oldKey]
	if !ok || e.movedTo != "" {
		return false, nil
	}
	if !live(e.exp, now) {
		shA.remove(e) // never resurrect: the sweeper would have removed it anyway
		s.swept.Add(1)
		return false, nil
	}
	if _, taken := shB.m[newKey]; taken {
		return false, ErrKeyExists
	}
	if !live(exp, now) {
		shA.remove(e)
		return true, nil
	}
	rec := session.Record{Meta: p.Meta, Values: patched(e.rec.Values, p, buf)}
	signedIn := e.signedIn || rec.User != ""

	// The old record becomes the mark first (no longer a session, so making
	// room below cannot evict the record being moved as one), keeping its
	// place in the shard's count.
	shA.unindex(e.rec.User, oldKey)
	shA.list(e).unlink(e)
	e.movedTo, e.rec = newKey, session.Record{}
	shA.list(e).pushFront(e)
	if !exp.Equal(e.exp) {
		e.exp = exp
		shA.heap.fix(e.idx)
	}
	if len(shB.m) >= s.perShard {
		s.makeRoom(shB, now)
	}
	shB.insert(newKey, rec, exp)
	if signedIn {
		n := shB.m[newKey]
		shB.list(n).unlink(n)
		n.signedIn = true
		shB.list(n).pushFront(n)
	}
	return true, nil
}

func (s *Store) shardIndex(key string) int {
	return int(maphash.String(s.seed, key) & s.mask)
}

// lockPair write-locks shards i and j (once when they are the same), lower index
// first.
func (s *Store) lockPair(i, j int) {
	if i > j {
		i, j = j, i
	}
	s.shards[i].mu.Lock()
	if j != i {
		s.shards[j].mu.Lock()
	}
}

func (s *Store) unlockPair(i, j int) {
	s.shards[i].mu.Unlock()
	if j != i {
		s.shards[j].mu.Unlock()
	}
}
