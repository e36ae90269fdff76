package connectredis

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/problem"
)

// Config configures a Store. New copies it.
type Config struct {
	// Client is the connection to the Redis the Express app's RedisStore uses:
	// a *redis.Client, *redis.ClusterClient or a Sentinel failover client.
	// Required. Its options must set ContextTimeoutEnabled, so that every call
	// ends when its context does (rule SES040, as for redisstore).
	Client redis.UniversalClient

	// Prefix is the RedisStore `prefix` option. Default "sess:".
	Prefix string

	// ForwardPrefix starts the keys of the forwarding marks that Move (for
	// Session.Regenerate) leaves under a rotated session's old ID for
	// redisstore.ForwardTTL, so that a logout that loaded the session before
	// the rotation still ends it. They live outside Prefix, where
	// connect-redis never looks: Express would read a mark under Prefix as a
	// session (its all, length and clear scan Prefix). Neither of Prefix and
	// ForwardPrefix may begin with the other. Default DefaultForwardPrefix.
	ForwardPrefix string

	// TTL is the RedisStore `ttl` option: the lifetime of a session whose
	// cookie has no maxAge. Default express.DefaultTTL (86400 seconds).
	TTL time.Duration

	// Cookie is express-session's `name` and `cookie` options, written into the
	// cookie object of the records Go creates (records Express created keep
	// theirs). Default: express-session's defaults (Path=/, HttpOnly, no maxAge).
	Cookie express.CookieOptions

	// Logger receives a warning for records that are not express-session's
	// (express-session answers them with HTTP 500; the Go side treats them as
	// missing). Default slog.Default().
	Logger *slog.Logger
}

func (c *Config) validate() error {
	var errs []error
	switch cl := c.Client.(type) {
	case nil:
		errs = append(errs, problem.NewError(problem.StoreUnavailable, "connectredis: Config.Client is nil",
			"pass the redis.NewClient (or NewUniversalClient) for the Redis the Express app uses"))
	case *redis.Client:
		if !cl.Options().ContextTimeoutEnabled {
			errs = append(errs, noDeadline())
		}
	case *redis.ClusterClient:
		if !cl.Options().ContextTimeoutEnabled {
			errs = append(errs, noDeadline())
		}
	}
	if strings.ContainsAny(c.Prefix, "{}") {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"connectredis: Config.Prefix "+strconv.Quote(c.Prefix)+" contains a brace, which Redis Cluster reads as a hash tag",
			"use the prefix the Express app's RedisStore uses, \"sess:\" by default"))
	}
	fp := c.ForwardPrefix
	if fp == "" {
		fp = DefaultForwardPrefix
	}
	p := c.Prefix
	if p == "" {
		p = express.DefaultPrefix
	}
	if strings.ContainsAny(fp, "{}") {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"connectredis: Config.ForwardPrefix "+strconv.Quote(fp)+" contains a brace, which Redis Cluster reads as a hash tag",
			"leave ForwardPrefix empty for "+strconv.Quote(DefaultForwardPrefix)+", or choose one without braces"))
	}
	if strings.HasPrefix(fp, p) || strings.HasPrefix(p, fp) {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"connectredis: Config.ForwardPrefix "+strconv.Quote(fp)+" and Config.Prefix "+strconv.Quote(p)+" overlap, so Express would read forwarding marks as sessions (or a mark could take a session's key)",
			"choose a ForwardPrefix that neither starts with Prefix nor is the start of it; leave it empty for "+strconv.Quote(DefaultForwardPrefix)))
	}
	return errors.Join(errs...)
}

// DefaultForwardPrefix is Config.ForwardPrefix's default.
const DefaultForwardPrefix = "sesame-fwd:"

func noDeadline() error {
	return problem.NewError(problem.StoreIgnoresDeadline,
		"connectredis: the Redis client has ContextTimeoutEnabled false, so a Redis that stops answering holds requests past the Manager's StoreTimeout",
		"set ContextTimeoutEnabled: true in the client's options")
}
