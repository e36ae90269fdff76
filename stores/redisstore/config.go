package redisstore

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/problem"
)

// StoreIgnoresDeadline is the doctor rule New reports for a client that does not
// give up when its context does, so a Redis that stops answering would hold
// requests past the Manager's StoreTimeout.
const StoreIgnoresDeadline = problem.StoreIgnoresDeadline

// DefaultPrefix starts every key the store writes when Config.Prefix is empty.
const DefaultPrefix = "sesame:"

// Config configures a Store. New copies it.
type Config struct {
	// Client is the connection to Redis: a *redis.Client (single server, or a
	// Sentinel-managed primary from redis.NewFailoverClient), a
	// *redis.ClusterClient or a *redis.Ring, typically from redis.NewUniversalClient.
	// Required.
	//
	// Its options must set ContextTimeoutEnabled, so that every call ends when its
	// context does (the Manager's StoreTimeout); New rejects a client it can see
	// does not. Its DialTimeout, ReadTimeout and WriteTimeout still bound each
	// network step of a call made without a deadline; see the package doc for
	// recommended values.
	Client redis.UniversalClient

	// Prefix starts every key the store writes, so that sessions can share a
	// Redis database with other data. Default (""): DefaultPrefix, "sesame:".
	// It must not contain '{' or '}': braces would make it a Cluster hash tag and
	// put every session of the deployment in one slot, on one node.
	Prefix string

	// Logger receives the one warning logged for each record under the prefix
	// that cannot be decoded, and the one saying Cache is not in effect.
	// Default (nil): slog.Default().
	Logger *slog.Logger

	// Cache, when not nil, serves Load from a client-side cache that Redis
	// keeps fresh (RESP3 CLIENT TRACKING): a hot session is read without a
	// round trip. See CacheConfig for its staleness window and memory. Default
	// (nil): no cache, every Load is one HGETALL. With a Cluster or Ring client,
	// or a server without RESP3, it is ignored and New or the first Load logs
	// so once. Call Store.Close to release the cache's connections.
	Cache *CacheConfig
}

// validate returns every problem with c at once.
func (c *Config) validate() error {
	var errs []error
	if c.Client == nil {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"redisstore: Config.Client is nil",
			"pass a client from redis.NewClient, redis.NewClusterClient, redis.NewFailoverClient or redis.NewUniversalClient"))
	} else if !contextTimeoutEnabled(c.Client) {
		errs = append(errs, problem.NewError(StoreIgnoresDeadline,
			"redisstore: the Redis client has ContextTimeoutEnabled false, so a Redis that stops answering holds each request for ReadTimeout (3s by default) on every retry instead of the Manager's StoreTimeout",
			"set ContextTimeoutEnabled: true in the client's options"))
	}
	if strings.ContainsAny(c.Prefix, "{}") {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"redisstore: Config.Prefix "+strconv.Quote(c.Prefix)+" contains a brace, which Redis Cluster reads as a hash tag: every session would land in one slot",
			"use a prefix without '{' and '}', such as \"sesame:\""))
	}
	return errors.Join(errs...)
}

// contextTimeoutEnabled reports whether the client stops waiting when a call's
// context is done. Clients of other types are given the benefit of the doubt.
func contextTimeoutEnabled(c redis.UniversalClient) bool {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return true
}
