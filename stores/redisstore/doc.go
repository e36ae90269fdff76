// Package redisstore keeps sesame sessions in Redis through go-redis v9: one
// Store serves a single server, a Sentinel-managed primary
// (redis.NewFailoverClient), a Redis Cluster and a Ring, all as a
// redis.UniversalClient.
//
// # Layout and round trips
//
// A session is a hash, <prefix>s:{<store key>}, with six meta fields ("m:…") and
// one field per value ("v:<name>", the value's JSON). Load is one HGETALL. Save,
// Patch and Apply are each one EVALSHA of a Lua script, which Redis runs
// atomically: Save replaces the hash, Patch sets and deletes exactly the fields
// the request changed, and only if the session still exists and is live, so two
// requests that write different keys both survive and a patch never resurrects a
// destroyed session. Apply (session.Applier) is the write of a session the
// request never read: the same checks and field changes, plus the idle-timeout
// bookkeeping done in the script (Touched, the TTL and, on one server, the user
// set's TTL move when TouchInterval has passed since the stored Touched), so such
// a request costs one round trip instead of an HGETALL and an EVALSHA; the
// Manager's touch of a read session is an Apply with no change. The times are
// RFC 3339 for redis-cli and repeated as numbers in m:expires ("<expires ms>
// <touched µs> <absolute ms>") for the scripts; a record written before the last
// two numbers existed still loads, and an Apply of it falls back to a read and a
// patch that rewrites it. Expiry is a PEXPIRE of the time left until Meta.Expires, measured on
// the application's clock, so a Redis host whose clock is off does not shorten or
// lengthen sessions; Load checks Meta.Live as well. The store keys are SHA-256
// hashes of the session IDs (see session.Store), so a dump of the database holds
// no usable token.
//
// Move (session.Mover, for Regenerate) is one script on a single server and
// three single-slot steps on a Cluster; the old key of a moved session is left
// for ForwardTTL as a forward (a hash with one field, m:moved) that Load treats
// as missing and Delete follows to the new key, so that a destroy racing a
// Regenerate always wins. move.go gives the argument.
//
// # The user index and its consistency
//
// Each user has a set, <prefix>u:{<user>}, of the store keys of their sessions,
// for UserSessions ("list my sessions", "sign out everywhere"). The set expires no
// earlier than its longest-lived member.
//
// On a single server the same script that writes a session also updates the
// sets (adds it to the new user's, removes it from the old user's when the user
// changed): the index is exact after every call.
//
// On a Cluster (and a Ring) the session hash and the user set live in different
// hash slots, usually on different nodes, and no script can touch both. Save and
// Patch then send two single-slot scripts in one pipeline, which go-redis splits
// per node and runs on the nodes in parallel: one round trip of wall time, two
// commands. When the user changed, a third call (SREM) removes the session from
// the old user's set. The model is: the session write is atomic; the index may
// hold extra members, never knowingly miss one. A member whose session is gone,
// expired or owned by someone else is stale: UserSessions checks every listed
// record and removes stale members, so it never lists a session that Load would
// not find. If the index update fails while the session write succeeds (a node
// down), the call returns an error and the next successful write of that session
// indexes it again.
//
// # Timeouts
//
// Every method honours its context: the Manager's StoreTimeout ends a call on a
// Redis that does not answer, with a *session.StoreError wrapping the context's
// error, and the Manager answers 503. go-redis applies context deadlines to the
// socket only with ContextTimeoutEnabled set in the client's options, so New
// rejects a client without it (rule SES040). The client's own timeouts bound each
// network step of calls made without a deadline (Range from an admin tool, say),
// and its retries multiply them. Recommended values for a session store on a
// local network:
//
//	redis.Options{
//		ContextTimeoutEnabled: true,
//		DialTimeout:           500 * time.Millisecond,
//		ReadTimeout:           500 * time.Millisecond,
//		WriteTimeout:          500 * time.Millisecond,
//		PoolTimeout:           time.Second,
//		MaxRetries:            1, // default 3: a dead Redis costs four timeouts
//		DialerRetries:         1, // default 5, 100ms apart: a refused dial fails at once
//	}
//
// A Redis that comes back is used again without restarting the application:
// go-redis replaces broken connections on the next call. After PoolSize failed
// dials in a row go-redis fails calls at once with the last dial error and probes
// the server in the background once a second, so recovery takes up to about a
// second. Ping is the readiness check (every primary must answer); expose it, or
// the Manager's Ready, as /readyz.
//
// # Client-side cache (opt-in)
//
// With Config.Cache set, Load reads through a second client that New makes from
// Config.Client's options with RESP3 and go-redis's client-side caching: Redis
// tracks the keys its connections read (CLIENT TRACKING) and pushes an
// invalidation when any client writes or deletes one, so a hot session is read
// without a round trip and a session destroyed or rotated on another instance is
// refused here once the push arrives (a few milliseconds; bounded at 100 ms by
// TestCacheInvalidation under load, and at CacheConfig.MaxStaleness if a push is
// lost). The Store drops its own writes from the cache at once, so one instance
// always reads what it wrote. Expiry is checked on every Load, cached or not.
// go-redis caches on a single-server client only: with a Cluster or Ring client
// New logs once that the cache is ignored, and a server without RESP3 is
// detected at the first Load and logged once; Load then reads from Redis.
//
// # Foreign data
//
// A key under the prefix that this store cannot read (another type, missing meta
// fields, a value that is not JSON) is treated as a missing session and logged
// once with its store key; it never turns into an error on every request. Save
// overwrites it; Delete removes it.
package redisstore
