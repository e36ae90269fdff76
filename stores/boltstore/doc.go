// Package boltstore keeps sesame sessions in a bbolt file: embedded, persistent,
// with no server to run. It is the store of `sesame demo`, which keeps you signed
// in across restarts.
//
// The file holds four buckets: "sessions" maps each store key (the SHA-256 of a
// session ID, never the ID) to its record in a compact versioned binary layout;
// "users" holds one nested bucket per user, listing the keys of that user's
// sessions; "expiry" lists each record with a deadline under its deadline, so the
// sweep reads only what expired; "forwards" maps the old key of a session that
// Regenerate moved (Store.Move) to its new key for ForwardTTL, so that a destroy
// that read the old key before the move still ends the session. Every write, a
// patch and a move included, is one bbolt
// read-write transaction that updates the record and its index entries together;
// bbolt runs one such transaction at a time, so concurrent patches of different
// keys all survive.
//
// Expired records are never returned; a background goroutine (Config.SweepInterval,
// default one minute) deletes them with their index entries, and Sweep runs one
// pass on demand. Close stops it and closes the file.
//
// bbolt locks the file: a second process (or a second Store in this one) that
// opens it waits Config.Timeout (default 1s) and then fails with an error that
// names the file and wraps ErrLocked. The store creates the file but not its
// directory. Every write is synced to disk before it returns (a few milliseconds on
// most disks), which bounds the write rate of one file: this store suits a demo,
// a single-instance service or a desktop app, not a fleet (use pgstore or
// redisstore).
package boltstore
