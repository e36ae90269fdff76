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
// session evicts the one closest to its deadline there (see Config.MaxEntries);
// Stats counts evictions, which users experience as an unexpected logout
// (doctor rule SES022).
//
// A Store implements session.Store, session.Patcher, session.UserIndex,
// session.Iterator and session.Pinger, and passes session/sessiontest.
package memstore
