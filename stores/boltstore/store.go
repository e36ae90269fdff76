package boltstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/sesame-go/sesame/session"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The buckets of the file. Their names are part of the file format.
var (
	// sessionsBucket maps a store key to its encoded record.
	sessionsBucket = []byte("sessions")
	// usersBucket maps a user name to a nested bucket whose keys are the store keys
	// of that user's sessions.
	usersBucket = []byte("users")
	// expiryBucket holds one empty value per record that has a deadline, under the
	// 8-byte big-endian deadline followed by the store key, so the sweep reads
	// the expired records in deadline order and stops at the first live one.
	expiryBucket = []byte("expiry")
	// forwardsBucket maps the old key of a moved session to the 8-byte
	// big-endian deadline of the forward followed by the new key (see Move).
	forwardsBucket = []byte("forwards")
)

// ErrLocked is wrapped by the error Open and New return when another process (or
// another Store of this process) has the file open.
var ErrLocked = errors.New("the database file is locked by another process")

// Store keeps sessions in a bbolt file. It implements session.Store,
// session.Patcher, session.Mover, session.UserIndex, session.Iterator and
// session.Pinger. Its methods are safe for concurrent use.
//
// bbolt transactions cannot be interrupted: a method checks its ctx before it
// starts and returns ctx's error then, but a write waiting for the single writer
// lock waits for it.
type Store struct {
	db     *bolt.DB
	path   string
	logger *slog.Logger

	stop      context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

var (
	_ session.Store     = (*Store)(nil)
	_ session.Patcher   = (*Store)(nil)
	_ session.UserIndex = (*Store)(nil)
	_ session.Iterator  = (*Store)(nil)
	_ session.Pinger    = (*Store)(nil)
	_ session.Mover     = (*Store)(nil)
)

// Open opens (creating if needed) the database file at path with the default
// Config. It is New(Config{Path: path}).
func Open(path string) (*Store, error) {
	return New(Config{Path: path})
}

// New validates cfg, opens the file and starts the sweep goroutine (unless
// cfg.SweepInterval is negative). Close stops it and closes the file.
//
// Configuration problems are reported at once, joined, as *problem.Problem values.
// A file another process holds is reported after cfg.Timeout with an error that
// names the file and wraps ErrLocked.
func New(cfg Config) (*Store, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.SweepInterval == 0 {
		cfg.SweepInterval = DefaultSweepInterval
	}
	if cfg.FileMode == 0 {
		cfg.FileMode = DefaultFileMode
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	db, err := bolt.Open(cfg.Path, cfg.FileMode, &bolt.Options{Timeout: cfg.Timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: open %s: another process holds it (waited %v for its lock; "+
			"stop the other process, or give each its own file): %w", cfg.Path, cfg.Timeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: open %s: %w", cfg.Path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{sessionsBucket, usersBucket, expiryBucket, forwardsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("boltstore: preparing %s: %w", cfg.Path, err)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Store{db: db, path: cfg.Path, logger: cfg.Logger, stop: stop, done: make(chan struct{})}
	if cfg.SweepInterval > 0 {
		go s.sweepLoop(ctx, cfg.SweepInterval)
	} else {
		close(s.done)
	}
	return s, nil
}

// Name returns "bolt", the name StoreErrors and the Manager's Explain use.
func (s *Store) Name() string { return "bolt" }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close stops the sweep goroutine, waits for it, and closes the file, releasing
// its lock. It is idempotent: later calls return the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		<-s.done
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// Ping reports whether the file is open and readable.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return s.fail("ping", err)
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(sessionsBucket) == nil {
			return errors.New("the sessions bucket is missing")
		}
		return nil
	})
	if err != nil {
		return s.fail("ping", err)
	}
	return nil
}

// fail wraps err as the StoreError the session Manager understands.
func (s *Store) fail(op string, err error) error {
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		err = fmt.Errorf("%s: %w (the Store was closed)", s.path, err)
	}
	return &session.StoreError{Store: "bolt", Op: op, Err: err}
}
