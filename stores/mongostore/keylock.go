package mongostore

import (
	"context"
	"hash/maphash"
)

// MongoDB applies each update to one document atomically, so two patches of one
// session that write different keys both survive on it without help. FerretDB v1
// does not: it reads the matching documents, applies the update in its own
// process and writes each document back by _id, with nothing between the read
// and the write; of 50 concurrent patches of one session, 8 survived in the
// conformance suite's test. Within one Store the writes to one key therefore take
// turns, through a lock striped by key. It costs one uncontended channel send per
// write on MongoDB, and makes a single instance exact on FerretDB v1; several
// instances sharing a FerretDB v1 can still lose a concurrent write to one
// session (MongoDB's atomic updates are what protects them there).

// lockStripes is the number of stripes; two keys share one rarely enough.
const lockStripes = 256

// keyLocks serialises writes to one key within the process.
type keyLocks struct {
	seed    maphash.Seed
	stripes [lockStripes]chan struct{}
}

func newKeyLocks() *keyLocks {
	l := &keyLocks{seed: maphash.MakeSeed()}
	for i := range l.stripes {
		l.stripes[i] = make(chan struct{}, 1)
	}
	return l
}

// lock waits for key's stripe, or for ctx to end; it returns the unlock function.
// A caller holds at most one stripe at a time, so stripes never deadlock.
func (l *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	c := l.stripes[maphash.String(l.seed, key)%lockStripes]
	select {
	case c <- struct{}{}:
		return func() { <-c }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
