// Package sessiontest is the conformance suite every session store must pass.
//
// A store's own tests call Run with a function that returns a fresh, empty store
// for each subtest; Run then checks, one rule per subtest, everything the contract
// in package session asks of a store: round trips, misses, overwrites, expiry on
// the store's own clock, atomic patches that never resurrect a session, the user
// index, iteration, readiness, cancellation, JSON values of every shape, and that
// no map is shared between the caller and the store in a way that lets one change
// the other. Optional capabilities (Patcher, UserIndex, Iterator, Pinger) are
// tested when the store implements them and reported as skipped when it does not.
//
// Real stores have real clocks (Redis expires keys with PEXPIREAT, PostgreSQL
// compares with now()), so the expiry rules are tested with deadlines that are
// already past when the record is saved, plus a few that pass about a second later
// and are watched with a bounded poll; Run takes a few seconds.
//
// Times are compared to the microsecond: PostgreSQL keeps no finer precision, so a
// store must keep at least that much. JSON values are compared by meaning, not by
// bytes: a store may reorder object keys, drop insignificant white space and
// re-escape strings (jsonb does all three), as long as the same document comes
// back.
//
// Bench runs the same Load, Save and Patch benchmarks against any store, so every
// store reports ns/op and allocs/op the same way.
package sessiontest
