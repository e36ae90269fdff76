package mongostore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sesame-go/sesame/session"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Store keeps sessions in a MongoDB collection. It implements session.Store,
// session.Patcher, session.Mover, session.UserIndex, session.Iterator and
// session.Pinger. Its methods are safe for concurrent use.
type Store struct {
	coll   *mongo.Collection
	name   string // database.collection, for messages
	logger *slog.Logger
	locks  *keyLocks   // see keylock.go
	byID   atomic.Bool // the server is FerretDB: conditional writes by _id (ferretdb.go)

	noTTLOnce sync.Once

	stop      context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
}

var (
	_ session.Store     = (*Store)(nil)
	_ session.Patcher   = (*Store)(nil)
	_ session.Mover     = (*Store)(nil)
	_ session.UserIndex = (*Store)(nil)
	_ session.Iterator  = (*Store)(nil)
	_ session.Pinger    = (*Store)(nil)
)

// New validates cfg and returns a Store. It does not contact the server: call
// Migrate to create the indexes, and Ping to check that the server answers.
// Unless cfg.CleanupInterval is negative, New starts the cleanup goroutine; Close
// stops it.
//
// Every problem of cfg is reported at once, joined, as *problem.Problem values.
func New(cfg Config) (*Store, error) {
	if cfg.Client != nil {
		if cfg.Database == "" {
			cfg.Database = DefaultDatabase
		}
		if cfg.CollectionName == "" {
			cfg.CollectionName = DefaultCollection
		}
	}
	if cfg.CleanupInterval == 0 {
		cfg.CleanupInterval = DefaultCleanupInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	coll := cfg.Collection
	if coll == nil {
		coll = cfg.Client.Database(cfg.Database).Collection(cfg.CollectionName)
	}
	s := &Store{
		coll:   coll,
		name:   coll.Database().Name() + "." + coll.Name(),
		logger: cfg.Logger,
		locks:  newKeyLocks(),
		done:   make(chan struct{}),
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	if cfg.CleanupInterval > 0 {
		go s.cleanupLoop(ctx, cfg.CleanupInterval)
	} else {
		close(s.done)
	}
	return s, nil
}

// Name returns "mongodb", the name StoreErrors and the Manager's Explain use.
func (s *Store) Name() string { return "mongodb" }

// Collection returns the collection the store uses.
func (s *Store) Collection() *mongo.Collection { return s.coll }

// Close stops the cleanup goroutine and waits for it to return. It does not
// disconnect the client, which belongs to the caller. Close is idempotent and
// always returns nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		<-s.done
	})
	return nil
}

// Ping checks that the server answers, for a readiness check.
func (s *Store) Ping(ctx context.Context) error {
	err := s.coll.Database().RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
	if err != nil {
		return s.fail(ctx, "ping", err)
	}
	return nil
}

// fail wraps err as the StoreError the session Manager understands. When ctx
// ended, the error also wraps ctx.Err(), whatever shape the driver gave the
// interruption, so that the Manager can tell a timeout.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return &session.StoreError{Store: "mongodb", Op: op, Err: fmt.Errorf("%s: %w", s.name, err)}
}

// live is the filter of the documents under key that Load may return: not being
// moved, and not expired at now. The expiry on the server is kept to the
// millisecond; Load checks the exact deadline again.
func live(key string, now time.Time) bson.D {
	return bson.D{{Key: fID, Value: key}, notMoving, notExpired(now)}
}

// notMoving matches a document no Move is taking away.
var notMoving = bson.E{Key: fMoving, Value: bson.D{{Key: "$exists", Value: false}}}

// notExpired matches a document without a deadline or whose deadline is after now.
func notExpired(now time.Time) bson.E {
	return bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: fExpires, Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: fExpires, Value: bson.D{{Key: "$gt", Value: bson.NewDateTimeFromTime(now)}}}},
	}}
}
