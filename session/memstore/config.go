package memstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// Defaults for the zero Config.
const (
	// DefaultMaxEntries is the bound on stored records when Config.MaxEntries
	// is 0. A million typical sessions (a few hundred bytes of values each)
	// take roughly half a gigabyte.
	DefaultMaxEntries = 1_000_000
	// DefaultSweepInterval is how often expired records are removed when
	// Config.SweepInterval is 0.
	DefaultSweepInterval = time.Minute
	// MinSweepInterval is the shortest SweepInterval New accepts: sweeping
	// more often costs CPU and returns no memory that matters.
	MinSweepInterval = time.Second
)

// invalidConfig is the doctor rule for a store option out of range.
const invalidConfig = problem.InvalidStoreConfig

// Config configures a Store. The zero Config is ready to use.
type Config struct {
	// MaxEntries bounds the number of records the store holds. 0 means
	// DefaultMaxEntries (1,000,000); a negative value is an error.
	//
	// The bound is kept per shard: the store has up to 64 shards and each holds
	// at most MaxEntries/shards records (rounded up). Saving a NEW session into
	// a full shard first removes that shard's expired records and, if it is
	// still full, evicts the least recently written record there that never
	// held a user (Meta.User; forwarding marks left by Move count as such), and
	// only when there is none the least recently written signed-in one. A write
	// is any Save, Patch or Move, including the Manager's touch of a read-only
	// request (once per TouchInterval). So the bound is paid for by anonymous
	// traffic first: a flood of cookieless requests evicts its own kind and
	// signs no user out while anonymous records remain. Eviction is chosen over
	// an error because a full store that refuses new sessions locks every new
	// visitor out. Each record costs a few hundred bytes plus its values (about
	// 670 B for a small anonymous session). Since keys spread uniformly over the
	// shards, eviction can begin slightly before the store as a whole holds
	// MaxEntries records (a few percent at the default). Stores with fewer than
	// 65,536 entries use fewer shards so the bound stays close.
	MaxEntries int

	// SweepInterval is how often a background goroutine removes expired
	// records. 0 means DefaultSweepInterval (1 minute); values below
	// MinSweepInterval (1 second) are an error. Expired records are never
	// returned whatever the interval: sweeping only returns their memory.
	SweepInterval time.Duration
}

// validate reports every problem of c at once.
func (c Config) validate() error {
	var errs []error
	if c.MaxEntries < 0 {
		errs = append(errs, problem.NewError(invalidConfig,
			fmt.Sprintf("memstore: MaxEntries is %d", c.MaxEntries),
			"set MaxEntries to a positive bound, or 0 for the default of 1,000,000"))
	}
	if c.SweepInterval < 0 || (c.SweepInterval > 0 && c.SweepInterval < MinSweepInterval) {
		errs = append(errs, problem.NewError(invalidConfig,
			fmt.Sprintf("memstore: SweepInterval is %v", c.SweepInterval),
			"set SweepInterval to at least 1s, or 0 for the default of 1m"))
	}
	return errors.Join(errs...)
}

// withDefaults returns c with its zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.MaxEntries == 0 {
		c.MaxEntries = DefaultMaxEntries
	}
	if c.SweepInterval == 0 {
		c.SweepInterval = DefaultSweepInterval
	}
	return c
}
