package memstore

import "time"

// makeRoom frees one place in a full shard: expired records first; then the
// least recently written record that never held a user (or a forwarding mark
// left by Move); only when there is none, the least recently written signed-in
// one. The caller holds the write lock.
//
// A flood of anonymous sessions (a crawler, a script without cookies) thus
// evicts its own kind and never signs out a user while anonymous records
// remain (issue 15: 2,000 anonymous writes used to evict 50 of 50 signed-in
// users, since a new session always has the latest deadline).
func (s *Store) makeRoom(sh *shard, now time.Time) {
	if n := sh.removeExpired(now, len(sh.m)); n > 0 {
		s.swept.Add(uint64(n))
	}
	for len(sh.m) >= s.perShard {
		victim := sh.anon.back
		if victim == nil {
			victim = sh.known.back
		}
		if victim.movedTo == "" {
			s.evicted.Add(1)
		}
		sh.remove(victim)
	}
}
