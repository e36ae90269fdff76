package redisstore

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// CacheConfig turns on the client-side cache of Load: an opt-in, never on by
// default (Config.Cache nil).
//
// Load's HGETALL then goes through a second client, made by New from
// Config.Client's options with RESP3 and go-redis's client-side caching
// (Options.ClientSideCacheConfig): Redis remembers which keys that client's
// connections read (CLIENT TRACKING, default mode) and pushes an invalidation
// when any client changes or deletes one of them, and go-redis drops the cached
// reply when the push arrives. A hot session is then read without a round trip;
// writes still go to Redis, where the scripts run, and each one invalidates the
// session in every instance's cache.
//
// Staleness: a session destroyed, rotated or changed on another instance is
// refused here once the invalidation arrives, measured on the loopback at a few
// milliseconds at the median under load and bounded in TestCacheInvalidation at
// 100 ms (docs/architecture.md, "Stores", has the figures); an invalidation that
// is lost with its connection is covered by MaxStaleness. The session's own
// expiry is checked on every Load, cached or not (Meta.Live), so an idle or
// absolute timeout is never extended by the cache.
//
// Memory: each cached session costs its HGETALL reply (the six meta fields, the
// values' JSON, about 300 bytes for a small session) plus go-redis's bookkeeping
// of the key, bounded by MaxEntries and MaxMemoryBytes; and, once read from the
// cache, the Record decoded from that reply with a copy of the reply it came
// from (about as much again), so that a hit is not parsed twice (cachefast.go).
// That decoded layer holds at most MaxEntries sessions and serves a Record only
// while go-redis still holds the very reply it was decoded from: it never
// lengthens the staleness window below.
type CacheConfig struct {
	// MaxEntries bounds the number of cached sessions. Default (0): 100,000.
	MaxEntries int
	// MaxMemoryBytes bounds the cache's estimated size. Default (0): no bound
	// besides MaxEntries.
	MaxMemoryBytes int64
	// MaxStaleness is how long a cached record may be served at most after it
	// was fetched, whatever happens to invalidations: the hard upper bound of
	// the staleness window. Default (0): one second. Each hot session is
	// fetched again once per MaxStaleness.
	MaxStaleness time.Duration
	// DrainInterval is how often go-redis reads invalidations buffered on
	// idle connections: the window on a quiet instance. Default (0): 5 ms.
	DrainInterval time.Duration
}

const (
	defaultCacheEntries   = 100_000
	defaultCacheStaleness = time.Second
)

// cache is the client-side cache of one Store: the cached client, and whether
// go-redis actually caches on it (checked once, at the first Load or Ping).
type cache struct {
	client  *redis.Client
	local   *redis.LocalCache
	decoded *decodedLayer // Records decoded from local's replies (cachefast.go)
	ns      string        // go-redis's namespace of this client's keys in local (see evict)
	logger  *slog.Logger
	once    sync.Once
	active  atomic.Bool
	checked atomic.Bool
}

// newCache makes the cached client for cfg, or logs why it cannot and returns
// nil: go-redis caches on a single-server client only (not a Cluster or Ring).
func newCache(c redis.UniversalClient, cfg *CacheConfig, logger *slog.Logger) *cache {
	if logger == nil {
		logger = slog.Default()
	}
	single, ok := c.(*redis.Client)
	if !ok {
		logger.Warn("redisstore: Config.Cache is ignored: go-redis keeps a client-side cache on a single-server *redis.Client only, not a Cluster or Ring client; every Load reads from Redis",
			"client", clientKind(c))
		return nil
	}
	opt := *single.Options() // a copy: the caller's client keeps its own
	opt.Protocol = 3
	// The caller's client filled this in with its own processor; the cache's
	// client needs one of its own, the built-in one (go-redis delivers
	// invalidations through it).
	opt.PushNotificationProcessor = nil
	cc := &redis.ClientSideCacheConfig{
		MaxEntries:     cfg.MaxEntries,
		MaxMemoryBytes: cfg.MaxMemoryBytes,
		MaxStaleness:   cfg.MaxStaleness,
		DrainInterval:  cfg.DrainInterval,
	}
	if cc.MaxEntries <= 0 {
		cc.MaxEntries = defaultCacheEntries
	}
	if cc.MaxStaleness <= 0 {
		cc.MaxStaleness = defaultCacheStaleness
	}
	// The cache is made here, not by go-redis from the config, so that the
	// store can drop what it writes itself (evict).
	local := redis.NewLocalCache(*cc)
	opt.ClientSideCacheConfig = cc
	opt.ClientSideCache = local
	return &cache{
		client:  redis.NewClient(&opt),
		local:   local,
		decoded: newDecodedLayer(cc.MaxEntries),
		ns:      strconv.Itoa(opt.DB) + "\x00" + strconv.Itoa(len(opt.Username)) + ":" + opt.Username + "\x00",
		logger:  logger,
	}
}

// check asks Redis once whether the cached client's connections are tracked
// (CLIENT TRACKINGINFO, Redis 6.2+) and logs once when they are not: a server
// that refuses RESP3 (go-redis then falls back to RESP2 and serves nothing from
// the cache), or tracking refused. It reports whether the cache is in use.
func (c *cache) check(ctx context.Context) bool {
	c.once.Do(func() {
		info, err := c.client.Do(ctx, "CLIENT", "TRACKINGINFO").Result()
		on := err == nil && trackingOn(info)
		c.active.Store(on)
		c.checked.Store(true)
		if !on {
			reason := "the connection is not tracked"
			if err != nil {
				reason = err.Error()
			}
			c.logger.Warn("redisstore: Config.Cache is not in effect: the Redis server does not track the cache's connections (client-side caching needs RESP3 and CLIENT TRACKING, Redis 6 or later); every Load reads from Redis",
				"reason", reason)
		}
	})
	return c.active.Load()
}

// trackingOn reads the "flags" of a CLIENT TRACKINGINFO reply (a RESP3 map).
func trackingOn(info any) bool {
	m, ok := info.(map[any]any)
	if !ok {
		return false
	}
	flags, _ := m["flags"].([]any)
	for _, f := range flags {
		if s, _ := f.(string); s == "on" {
			return true
		}
	}
	return false
}

func clientKind(c redis.UniversalClient) string {
	switch c.(type) {
	case *redis.ClusterClient:
		return "cluster"
	case *redis.Ring:
		return "ring"
	}
	return fmt.Sprintf("%T", c)
}

// Caching reports whether Load is served through the client-side cache: false
// without Config.Cache, with a Cluster or Ring client, and on a server that
// does not track the cache's connections (known after the first Load or Ping).
func (s *Store) Caching() bool {
	return s.cache != nil && s.cache.active.Load()
}

// CacheStats returns go-redis's counters of the client-side cache (hits,
// misses, entries, estimated bytes); zero without one.
func (s *Store) CacheStats() redis.CSCStats {
	if s.cache == nil {
		return redis.CSCStats{}
	}
	return s.cache.client.CSCStats()
}

// Close releases the connections of the client-side cache. The Store's own
// client (Config.Client) is the caller's and stays open. Without Config.Cache
// it does nothing.
func (s *Store) Close() error {
	if s.cache == nil {
		return nil
	}
	return s.cache.client.Close()
}

// reader is the client Load reads with: the cached one once it is known to
// work, else Config.Client.
func (s *Store) reader(ctx context.Context) redis.Cmdable {
	if s.cache != nil && (s.cache.active.Load() || (!s.cache.checked.Load() && s.cache.check(ctx))) {
		return s.cache.client
	}
	return s.client
}

// evict drops the cached copy of the session under key after this Store wrote
// or deleted it, so that this instance reads its own writes at once: Redis's
// invalidation reaches the cache a moment later (the window the CacheConfig doc
// describes), and the next request of the same user may come before it.
// TestCacheReadsOwnWrites fails if go-redis's key namespace (db, then the
// length-prefixed ACL user, each ended by a NUL) ever changes.
func (s *Store) evict(keys ...string) {
	if s.cache == nil {
		return
	}
	for _, k := range keys {
		s.cache.local.DeleteByRedisKey(s.cache.ns + s.sessionKey(k))
	}
}
