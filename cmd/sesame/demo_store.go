package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	dr "github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
	"github.com/sesame-go/sesame/stores/boltstore"
	"github.com/sesame-go/sesame/stores/mongostore"
	"github.com/sesame-go/sesame/stores/pgstore"
	"github.com/sesame-go/sesame/stores/redisstore"
)

// openedStore is a session store and how to describe and release it.
type openedStore struct {
	store session.Store
	desc  string // for the banner; never holds a password
	close func() error
}

// openStore opens the store --store names:
//
//	memory                            in this process only: lost on restart, not shared
//	bolt:PATH                         embedded bbolt file (the default, under --data-dir)
//	redis://[user:pass@]host:port/db  one Redis server (rediss:// for TLS)
//	redis-cluster://host:port,host:port (rediss-cluster:// for TLS)
//	postgres://… or postgresql://…    PostgreSQL; the table is created if missing
//	mongodb://… or mongodb+srv://…     MongoDB (or FerretDB); database from the URL path, else "sesame"
//
// Network stores are not pinged here: the demo starts while they are down and
// GET /readyz answers 503 until they answer.
func openStore(ctx context.Context, spec string, logger *slog.Logger) (*openedStore, error) {
	bad := func(format string, args ...any) error {
		return dr.NewError(dr.StoreUnavailable, "--store "+redact(spec)+": "+fmt.Sprintf(format, args...),
			"use memory, bolt:PATH, redis://host:port, redis-cluster://host:port,host:port, postgres://… or mongodb://…")
	}
	scheme, _, _ := strings.Cut(spec, ":")
	switch scheme {
	case "memory":
		st, err := memstore.New(memstore.Config{})
		if err != nil {
			return nil, err
		}
		return &openedStore{store: st, desc: "memory (this process only; lost on restart)", close: closer(st)}, nil

	case "bolt":
		path := strings.TrimPrefix(spec, "bolt:")
		if path == "" {
			return nil, bad("no file after bolt:")
		}
		st, err := boltstore.New(boltstore.Config{Path: path, Logger: logger})
		if err != nil {
			return nil, err
		}
		return &openedStore{store: st, desc: "bolt " + path, close: st.Close}, nil

	case "redis", "rediss", "redis-cluster", "rediss-cluster":
		// The library's parser (go-redis's ParseURL / ParseClusterURL underneath):
		// every call ends when its context does (the Manager's StoreTimeout), and
		// each network step is bounded unless the URL says otherwise
		// (dial_timeout=, read_timeout=, write_timeout=).
		client, err := redisstore.ClientFromURL(spec)
		if err != nil {
			return nil, err
		}
		st, err := redisstore.New(redisstore.Config{Client: client, Logger: logger})
		if err != nil {
			client.Close()
			return nil, err
		}
		return &openedStore{store: st, desc: "redis " + redisstore.Redact(spec), close: client.Close}, nil

	case "postgres", "postgresql":
		pool, err := pgstore.PoolFromDSN(ctx, spec)
		if err != nil {
			return nil, err
		}
		st, err := pgstore.New(pgstore.Config{Pool: pool, Logger: logger})
		if err != nil {
			pool.Close()
			return nil, err
		}
		// The table is created at start. A database that is down now is not
		// fatal (/readyz says so), but its table is only created by a restart.
		mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := st.Migrate(mctx); err != nil {
			logger.Warn("sesame demo: could not create the sessions table; restart the demo once PostgreSQL answers", "err", err)
		}
		return &openedStore{store: st, desc: "postgres " + redact(spec), close: func() error {
			err := st.Close()
			pool.Close()
			return err
		}}, nil

	case "mongodb", "mongodb+srv":
		return openMongo(ctx, spec, logger, bad)
	}
	return nil, bad("unknown kind of store %q", scheme)
}

// redact hides a password in a store URL before it is printed or logged.
func redact(spec string) string {
	u, err := url.Parse(spec)
	if err != nil || u.User == nil {
		return spec
	}
	return u.Redacted()
}

// closer adapts a store that may or may not need closing.
func closer(v any) func() error {
	if c, ok := v.(interface{ Close() error }); ok {
		return c.Close
	}
	return func() error { return nil }
}

// openMongo opens mongodb://host:port/database (database default "sesame"). The
// indexes are created at start; a server that is down now is not fatal.
func openMongo(ctx context.Context, spec string, logger *slog.Logger, bad func(string, ...any) error) (*openedStore, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, bad("%v", err)
	}
	client, err := mongo.Connect(options.Client().ApplyURI(spec).SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		return nil, bad("%v", err)
	}
	disconnect := func() error { return client.Disconnect(context.WithoutCancel(ctx)) }
	st, err := mongostore.New(mongostore.Config{Client: client, Database: strings.Trim(u.Path, "/"), Logger: logger})
	if err != nil {
		disconnect()
		return nil, err
	}
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.Migrate(mctx); err != nil {
		logger.Warn("sesame demo: could not create the sessions indexes; restart the demo once MongoDB answers", "err", err)
	}
	return &openedStore{store: st, desc: "mongodb " + redact(spec), close: func() error {
		err := st.Close()
		return errors.Join(err, disconnect())
	}}, nil
}
