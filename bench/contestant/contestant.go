package contestant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Origin is the front end every CORS and CSRF contestant trusts and every
// cross-origin request of the benchmark comes from.
const Origin = "https://app.example.com"

// Kind says which endpoints a contestant serves.
type Kind int

const (
	// Session contestants serve login, read, write and peek.
	Session Kind = iota
	// CORS contestants serve a preflight (OPTIONS) and an actual request (GET) on api.
	CORS
	// CSRF contestants serve a cross-origin write (POST) on api.
	CSRF
	// Floor contestants serve read and write like a session contestant, with
	// no session library: the cost of the store's round trip alone.
	Floor
)

// A Contestant is one library under test, served under /Name/.
type Contestant struct {
	Name  string // the path prefix, e.g. "sesame-mem"
	Kind  Kind
	Label string // what it is, for the results table
	Redis bool   // whether its store is Redis
}

// All lists the Go contestants in the order the results show them.
var All = []Contestant{
	{Name: "sesame-mem", Kind: Session, Label: "sesame, memstore"},
	{Name: "sesame-redis", Kind: Session, Label: "sesame, redisstore", Redis: true},
	{Name: "sesame-redis-cache", Kind: Session, Label: "sesame, redisstore with Config.Cache (client-side cache, opt-in)", Redis: true},
	{Name: "sesame-bolt", Kind: Session, Label: "sesame, boltstore"},
	{Name: "sesame-pg", Kind: Session, Label: "sesame, pgstore (PostgreSQL)"},
	{Name: "sesame-mongo", Kind: Session, Label: "sesame, mongostore (embedded FerretDB v1 on SQLite unless SESAME_MONGODB_URL)"},
	{Name: "scs-mem", Kind: Session, Label: "scs v2, memstore"},
	{Name: "scs-redis", Kind: Session, Label: "scs v2, goredisstore", Redis: true},
	{Name: "gorilla-cookie", Kind: Session, Label: "gorilla/sessions, CookieStore"},
	{Name: "gorilla-redis", Kind: Session, Label: "gorilla/sessions, rbcervilla/redisstore", Redis: true},
	{Name: "redis-floor", Kind: Floor, Label: "no library: one go-redis HGETALL / HSET (the floor)", Redis: true},
	{Name: "sesame-cors", Kind: CORS, Label: "sesame cors"},
	{Name: "rs-cors", Kind: CORS, Label: "rs/cors"},
	{Name: "jub0bs-cors", Kind: CORS, Label: "jub0bs/cors"},
	{Name: "sesame-csrf", Kind: CSRF, Label: "sesame csrf"},
	{Name: "cop", Kind: CSRF, Label: "net/http CrossOriginProtection"},
}

// Options says where the contestants keep their sessions.
type Options struct {
	// RedisAddr is the Redis server of the Redis contestants. Default: env
	// SESAME_REDIS_ADDR, else 127.0.0.1:6379.
	RedisAddr string
	// Prefix starts every Redis key the contestants write, so that several runs
	// can share one Redis. Default "bench:".
	Prefix string
	// BoltPath is sesame-bolt's database file. Required (its directory must exist).
	BoltPath string
	// MongoURL is the MongoDB server of sesame-mongo. Default: env
	// SESAME_MONGODB_URL, else an embedded FerretDB v1 (SQLite backend) that New
	// starts in a temporary directory and Close stops; it then runs in the
	// benchmark server's process and its CPU counts against sesame-mongo.
	MongoURL string
	// PostgresURL is the PostgreSQL server of sesame-pg, which works in a
	// schema of its own (created by New, dropped by Close). Default: env
	// SESAME_POSTGRES_URL, else DefaultPostgresURL.
	PostgresURL string
	// MaxEntries bounds sesame's memory store (memstore.Config.MaxEntries).
	// Default 0: memstore's default, one million. The scale runs raise it so
	// that a million seeded sessions are not evicted.
	MaxEntries int
	// Only, when not empty, limits the server to these contestants (and /bare).
	Only []string
}

// Server is the handler serving every contestant, and what must be closed
// after it.
type Server struct {
	mux     *http.ServeMux
	redis   *redis.Client
	closers []func() error
	n       atomic.Int64 // fresh users and values
	trips   roundTrips
	bulk    map[string]bulkStore // the stores Seed fills in batches
}

// New builds the contestants. Close releases what they hold.
func New(o Options) (*Server, error) {
	if o.RedisAddr == "" {
		o.RedisAddr = os.Getenv("SESAME_REDIS_ADDR")
	}
	if o.RedisAddr == "" {
		o.RedisAddr = "127.0.0.1:6379"
	}
	if o.Prefix == "" {
		o.Prefix = "bench:"
	}
	s := &Server{mux: http.NewServeMux(), bulk: map[string]bulkStore{}}
	s.mux.HandleFunc("GET /bare", bare)

	needRedis := false
	for _, c := range All {
		if c.Redis && s.wants(o, c.Name) {
			needRedis = true
		}
	}
	if needRedis {
		s.redis = redis.NewClient(&redis.Options{
			Addr: o.RedisAddr,
			// sesame's redisstore requires it (rule SES036); it changes nothing
			// for the others.
			ContextTimeoutEnabled: true,
		})
		s.redis.AddHook(&s.trips)
		s.closers = append(s.closers, s.redis.Close)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.redis.Ping(ctx).Err(); err != nil {
			s.Close()
			return nil, fmt.Errorf("contestant: Redis at %s does not answer (start redis-server or set SESAME_REDIS_ADDR): %w", o.RedisAddr, err)
		}
	}

	var errs []error
	for _, c := range All {
		if !s.wants(o, c.Name) {
			continue
		}
		if err := s.mount(c, o); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		s.Close()
		return nil, err
	}
	s.publishStorage()
	return s, nil
}

func (s *Server) wants(o Options, name string) bool {
	if len(o.Only) == 0 {
		return true
	}
	for _, n := range o.Only {
		if n == name {
			return true
		}
	}
	return false
}

func (s *Server) mount(c Contestant, o Options) error {
	switch c.Kind {
	case Session:
		api, err := s.sessionAPI(c.Name, o)
		if err != nil {
			return err
		}
		s.mountSession(c.Name, api)
	case CORS:
		mw, err := corsMiddleware(c.Name)
		if err != nil {
			return err
		}
		// The preflight (OPTIONS) must reach the middleware. Both patterns name
		// their method, as /bare's does, so that routing costs the same: a
		// pattern without a method costs net/http's mux an allocation.
		h := mw(http.HandlerFunc(bare))
		s.mux.Handle("OPTIONS /"+c.Name+"/api", h)
		s.mux.Handle("GET /"+c.Name+"/api", h)
	case Floor:
		return s.floor(c.Name, o)
	case CSRF:
		mw, err := csrfMiddleware(c.Name)
		if err != nil {
			return err
		}
		s.mux.Handle("POST /"+c.Name+"/api", mw(http.HandlerFunc(bare)))
	}
	return nil
}

// Handler serves every contestant.
func (s *Server) Handler() http.Handler { return s.mux }

// Close releases the stores and connections.
func (s *Server) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

func (s *Server) next() string { return fmt.Sprint(s.n.Add(1)) }

// bare is the reference handler: what every endpoint does besides its library.
func bare(w http.ResponseWriter, _ *http.Request) {
	w.Header()["Content-Type"] = textPlain
	w.Write(ok)
}

var (
	textPlain = []string{"text/plain; charset=utf-8"}
	ok        = []byte("ok")
)

// quiet is the logger of every contestant that takes one: the benchmark
// measures the libraries, not log output.
var quiet = slog.New(slog.DiscardHandler)

// Sessions lists the names of the session contestants.
func Sessions() []string {
	var out []string
	for _, c := range All {
		if c.Kind == Session {
			out = append(out, c.Name)
		}
	}
	return out
}

// Lookup finds a contestant by name.
func Lookup(name string) (Contestant, bool) {
	for _, c := range All {
		if c.Name == name {
			return c, true
		}
	}
	return Contestant{}, false
}
