package redisstore

import (
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/sesame-go/sesame/session"
)

// The decoded layer of the client-side cache.
//
// go-redis keeps a cached reply as the raw RESP bytes the server sent and, on
// every hit, replays them through the command's reply parser: a map of strings
// built afresh, which decode then turns into a Record (three RFC 3339 times, a
// values map). Measured in process that was two thirds of a cached read
// (bench/results.md, "Profiles"). The decoded layer keeps, per session, the
// Record decoded from one cached reply together with that reply's bytes. A read
// asks go-redis's cache for the current bytes (LocalCache.Get: a copy, with
// go-redis's own invalidation and MaxStaleness rules applied) and reuses the
// Record when the bytes are the ones it was decoded from. So the layer can never
// serve anything go-redis's cache would not: whether a cached reply is still
// valid stays go-redis's decision alone, and the layer only skips re-parsing
// bytes it has parsed before.

// decodedShards spreads the layer's lock; a power of two.
const decodedShards = 16

type decodedLayer struct {
	seed     maphash.Seed
	perShard int // entries kept per shard before one is dropped
	shards   [decodedShards]decodedShard
}

type decodedShard struct {
	mu sync.RWMutex
	m  map[string]*decodedEntry
}

// decodedEntry is what one cached reply decodes to. It is never modified once
// published, so readers may use it after the lock is released.
type decodedEntry struct {
	raw   []byte         // the reply it was decoded from (the layer's own copy)
	rec   session.Record // its Values map is shared read-only with callers of Load
	found bool           // false: no session there (no hash, or a forward)
}

func newDecodedLayer(maxEntries int) *decodedLayer {
	l := &decodedLayer{seed: maphash.MakeSeed(), perShard: max(maxEntries/decodedShards, 1)}
	for i := range l.shards {
		l.shards[i].m = make(map[string]*decodedEntry)
	}
	return l
}

func (l *decodedLayer) shard(key string) *decodedShard {
	return &l.shards[maphash.String(l.seed, key)&(decodedShards-1)]
}

// get returns the entry decoded from raw, if the layer holds it.
func (l *decodedLayer) get(key string, raw []byte) *decodedEntry {
	sh := l.shard(key)
	sh.mu.RLock()
	e := sh.m[key]
	sh.mu.RUnlock()
	if e != nil && bytes.Equal(e.raw, raw) {
		return e
	}
	return nil
}

// put publishes e under key, dropping an arbitrary entry (Go's map order is
// randomised) when the shard is full, so the layer never outgrows the cache's
// MaxEntries.
func (l *decodedLayer) put(key string, e *decodedEntry) {
	sh := l.shard(key)
	sh.mu.Lock()
	if _, ok := sh.m[key]; !ok && len(sh.m) >= l.perShard {
		for k := range sh.m {
			delete(sh.m, k)
			break
		}
	}
	sh.m[key] = e
	sh.mu.Unlock()
}

// hgetallCacheKey appends go-redis's cache key of `HGETALL <prefix>s:{<key>}`
// (sessionKey) on this client: its namespace (db and ACL user, see cache.ns)
// followed by the command's RESP encoding, as go-redis's buildCacheKeyNS writes
// it. TestDecodedLayerServesHits fails if go-redis ever names its entries
// differently (the layer would then only miss, never serve anything wrong).
func hgetallCacheKey(buf []byte, ns, prefix, key string) []byte {
	buf = append(buf, ns...)
	buf = append(buf, "*2\r\n$7\r\nhgetall\r\n$"...)
	buf = strconv.AppendInt(buf, int64(len(prefix)+len("s:{}")+len(key)), 10)
	buf = append(buf, "\r\n"...)
	buf = append(buf, prefix...)
	buf = append(buf, "s:{"...)
	buf = append(buf, key...)
	return append(buf, "}\r\n"...)
}

// loadCached serves Load from the client-side cache's bytes without a command:
// handled is false when go-redis has no valid cached reply for the session (or
// one this layer does not parse), and the caller sends HGETALL, which fetches
// and caches it.
func (c *cache) loadCached(ctx context.Context, prefix, key string) (e *decodedEntry, handled bool) {
	var buf [256]byte
	ck := hgetallCacheKey(buf[:0], c.ns, prefix, key)
	raw, ok := c.local.Get(ctx, string(ck))
	if !ok {
		return nil, false
	}
	if e := c.decoded.get(key, raw); e != nil {
		return e, true
	}
	fields, err := parseHashReply(raw)
	if err != nil {
		return nil, false // not a reply this layer knows: go-redis's own parser answers
	}
	e = &decodedEntry{raw: raw}
	if len(fields) > 0 {
		rec, err := decode(fields)
		switch {
		case err == errMoved:
		case err != nil:
			return nil, false // corrupt: the HGETALL path reports it
		default:
			e.rec, e.found = rec, true
		}
	}
	c.decoded.put(key, e)
	return e, true
}

var errReply = errors.New("redisstore: not a RESP3 map of bulk strings")

// parseHashReply parses the RESP3 reply of HGETALL: a map ("%" count CRLF)
// whose keys and values are bulk strings ("$" length CRLF bytes CRLF). Anything
// else, or trailing bytes, is an error. The strings are copied out of raw.
func parseHashReply(raw []byte) (map[string]string, error) {
	n, rest, err := respHeader(raw, '%')
	if err != nil {
		return nil, err
	}
	// Each pair needs at least 8 bytes ("$0\r\n\r\n" twice is 12): a count
	// larger than the reply can hold is refused before it sizes a map.
	if n > len(rest)/8 {
		return nil, errReply
	}
	fields := make(map[string]string, n)
	for range n {
		var k, v string
		if k, rest, err = respBulk(rest); err != nil {
			return nil, err
		}
		if v, rest, err = respBulk(rest); err != nil {
			return nil, err
		}
		fields[k] = v
	}
	if len(rest) != 0 {
		return nil, errReply
	}
	return fields, nil
}

// respHeader reads a type byte t and a non-negative decimal count ended by CRLF.
func respHeader(b []byte, t byte) (n int, rest []byte, err error) {
	if len(b) < 4 || b[0] != t {
		return 0, nil, errReply
	}
	i := bytes.IndexByte(b, '\r')
	// At most ten digits, and no leading zero: the server writes counts in
	// canonical form, so anything else is not a reply from it.
	if i < 2 || i+1 >= len(b) || b[i+1] != '\n' || i > 11 || (b[1] == '0' && i > 2) {
		return 0, nil, errReply
	}
	for _, c := range b[1:i] {
		if c < '0' || c > '9' {
			return 0, nil, errReply
		}
		n = n*10 + int(c-'0')
	}
	return n, b[i+2:], nil
}

// respBulk reads one bulk string.
func respBulk(b []byte) (s string, rest []byte, err error) {
	n, b, err := respHeader(b, '$')
	if err != nil {
		return "", nil, err
	}
	if n > len(b)-2 || b[n] != '\r' || b[n+1] != '\n' {
		return "", nil, errReply
	}
	return string(b[:n]), b[n+2:], nil
}
