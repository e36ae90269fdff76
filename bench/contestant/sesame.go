package contestant

import (
	"fmt"
	"net/http"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
	"github.com/sesame-go/sesame/stores/boltstore"
	"github.com/sesame-go/sesame/stores/redisstore"
)

// Key is the signing key every contestant that signs its cookie uses: a
// fixed key keeps cookies valid across restarts of the benchmark server.
var Key = []byte("sesame-bench-signing-key-0123456789abcdef")

// sesame builds sesame's session Manager on the named store, with its defaults.
func (s *Server) sesame(name string, o Options) (sessionAPI, error) {
	var st session.Store
	switch name {
	case "sesame-mem":
		ms, err := memstore.New(memstore.Config{MaxEntries: o.MaxEntries})
		if err != nil {
			return sessionAPI{}, err
		}
		s.closers = append(s.closers, ms.Close)
		st = ms
	case "sesame-redis":
		rs, err := redisstore.New(redisstore.Config{Client: s.redis, Prefix: o.Prefix + "sesame:", Logger: quiet})
		if err != nil {
			return sessionAPI{}, err
		}
		st = rs
	case "sesame-redis-cache":
		// The opt-in client-side cache. Its misses go out on the cache's own
		// client, which the round-trip hook does not see: Redis's
		// commandstats (the commands column) count them.
		rs, err := redisstore.New(redisstore.Config{Client: s.redis, Prefix: o.Prefix + "sesame-cache:", Logger: quiet,
			Cache: &redisstore.CacheConfig{MaxEntries: max(o.MaxEntries, 1_000_000)}})
		if err != nil {
			return sessionAPI{}, err
		}
		s.closers = append(s.closers, rs.Close)
		st = rs
	case "sesame-bolt":
		if o.BoltPath == "" {
			return sessionAPI{}, fmt.Errorf("Options.BoltPath is required")
		}
		bs, err := boltstore.New(boltstore.Config{Path: o.BoltPath, Logger: quiet})
		if err != nil {
			return sessionAPI{}, err
		}
		s.closers = append(s.closers, bs.Close)
		st = bs
	case "sesame-pg":
		ps, err := s.pgStore(o)
		if err != nil {
			return sessionAPI{}, err
		}
		st = ps
	case "sesame-mongo":
		ms, err := s.mongoStore(o)
		if err != nil {
			return sessionAPI{}, err
		}
		st = ms
	}
	kr, err := cookie.NewKeyring(Key)
	if err != nil {
		return sessionAPI{}, err
	}
	m, err := session.New(session.Config{Store: st, Keys: kr, Logger: quiet})
	if err != nil {
		return sessionAPI{}, err
	}
	return sessionAPI{
		wrap:  m.Handler,
		login: sesameLogin,
		get: func(_ http.ResponseWriter, r *http.Request, key string) (string, error) {
			ss := session.From(r.Context())
			v, _ := session.Get[string](ss, key)
			return v, ss.Err()
		},
		set: func(_ http.ResponseWriter, r *http.Request, key, val string) error {
			return session.Set(session.From(r.Context()), key, val)
		},
	}, nil
}

// sesameLogin is the login of every sesame contestant (and of the sessions
// Seed mints for the batch-filled stores).
func sesameLogin(_ http.ResponseWriter, r *http.Request, user string) error {
	ss := session.From(r.Context())
	if err := ss.Regenerate(); err != nil {
		return err
	}
	ss.SetUser(user)
	return session.Set(ss, "user", user)
}
