// Package memstore keeps sessions in the memory of one process: the store for
// tests, demos and single-instance deployments that accept losing every session
// on restart.
//
// Records live in up to 64 shards, each a mutex, a map and a min-heap ordered by
// expiry, picked by a seeded hash of the key, so goroutines serving different
// sessions rarely wait for each other. A stored Values map is never changed after
// it is stored: Save copies the caller's map, Patch builds a new one, so Load
// hands out the stored map without copying and without allocating.
//
// Expired records are never returned (Load, Patch, UserSessions and Range check
// the deadline), and a background goroutine removes them every SweepInterval,
// taking them from the top of each shard's heap rather than scanning every
// record. Close stops it. The store is bounded: when a shard is full, saving a new
// session evicts there the least recently written record that never held a user,
// and a signed-in one only when none is left (see Config.MaxEntries), so a flood
// of anonymous sessions pays for the bound itself; Stats counts evictions, which
// users experience as an unexpected logout (doctor rule SES022).
//
// Move rotates a session's key under the locks of both keys' shards and leaves a
// forwarding mark under the old key that Delete follows, so a logout or a "sign
// out everywhere" racing a Regenerate always wins (session.Mover).
//
// A Store implements session.Store, session.Patcher, session.Mover,
// session.UserIndex, session.Iterator and session.Pinger, and passes
// session/sessiontest.
package memstore
