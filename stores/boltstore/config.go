package boltstore

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// Defaults of Config.
const (
	DefaultTimeout       = time.Second
	DefaultSweepInterval = time.Minute
	DefaultFileMode      = fs.FileMode(0o600)
)

// Config describes a Store. Only Path is required.
type Config struct {
	// Path is the database file; it is created if missing. Its directory must
	// exist: the store does not create directories, so a mistyped path fails
	// instead of scattering files.
	Path string

	// Timeout bounds the wait for the file lock that keeps a second process (or a
	// second Store in this one) from opening the same file. Default 1s; it must
	// not be negative (bbolt's "wait forever" is not offered: a locked file is
	// reported, not waited on).
	Timeout time.Duration

	// SweepInterval is how often a background goroutine deletes expired records
	// and their index entries. Default (zero) 1 minute; negative: no goroutine
	// (call Sweep yourself). Expired records are never returned either way.
	SweepInterval time.Duration

	// FileMode is the permission of a newly created file. Default 0600: the file
	// holds session data, readable by the server's user only.
	FileMode fs.FileMode

	// Logger receives the errors of background sweeps. Default slog.Default().
	Logger *slog.Logger
}

// validate returns every problem of c at once, as *problem.Problem values.
func (c Config) validate() error {
	var errs []error
	if c.Path == "" {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"boltstore: Config.Path is empty",
			"name the database file, e.g. filepath.Join(dataDir, \"sessions.db\")"))
	}
	if c.Timeout < 0 {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("boltstore: Config.Timeout is negative (%v)", c.Timeout),
			"leave it zero for the 1s default, or give a positive duration"))
	}
	if c.FileMode&^fs.ModePerm != 0 {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("boltstore: Config.FileMode %v has bits other than permissions", c.FileMode),
			"give permission bits only, e.g. 0o600"))
	}
	return errors.Join(errs...)
}
