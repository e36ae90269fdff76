package redisstore

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
)

// scanCount is the COUNT hint of each SCAN step: the number of keys Redis looks
// at per call, and so roughly the size of each HGETALL pipeline.
const scanCount = 256

// Range calls fn with every live session, one at a time. It walks each primary
// (every master of a Cluster, every shard of a Ring) with SCAN MATCH
// "<prefix>s:{*}" TYPE hash, never KEYS, which would block the server, and reads
// each batch of keys in one pipeline. Records written or removed during the walk
// may or may not be visited; SCAN may return a key twice when the server rehashes,
// so fn may rarely see a key twice. The first error fn returns stops the walk and
// is returned as it is.
func (s *Store) Range(ctx context.Context, fn func(key string, rec session.Record) error) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "list", err)
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return fail(ctx, "list", err)
	}
	pattern := s.scanPattern()
	for _, node := range nodes {
		var cursor uint64
		for {
			keys, next, err := node.ScanType(ctx, cursor, pattern, scanCount, "hash").Result()
			if err != nil {
				return fail(ctx, "list", err)
			}
			if err := s.visit(ctx, node, keys, fn); err != nil {
				return err
			}
			if next == 0 {
				break
			}
			cursor = next
		}
	}
	return nil
}

// visit reads one SCAN batch and calls fn for each live record in it.
func (s *Store) visit(ctx context.Context, node redis.Cmdable, redisKeys []string, fn func(string, session.Record) error) error {
	if len(redisKeys) == 0 {
		return nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(redisKeys))
	_, _ = node.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range redisKeys {
			cmds[i] = p.HGetAll(ctx, k)
		}
		return nil
	})
	now := time.Now()
	for i, cmd := range cmds {
		key, ok := s.storeKey(redisKeys[i])
		if !ok {
			continue
		}
		rec, found, _, err := s.decodeReply(key, cmd)
		if err != nil {
			return fail(ctx, "list", err)
		}
		if !found || !rec.Live(now) {
			continue
		}
		if err := fn(key, rec); err != nil {
			return err
		}
	}
	return nil
}

// nodes returns a client for each server that owns part of the keyspace.
func (s *Store) nodes(ctx context.Context) ([]redis.Cmdable, error) {
	var (
		mu  sync.Mutex
		out []redis.Cmdable
	)
	collect := func(_ context.Context, c *redis.Client) error {
		mu.Lock()
		out = append(out, c)
		mu.Unlock()
		return nil
	}
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		err := c.ForEachMaster(ctx, collect)
		return out, err
	case *redis.Ring:
		err := c.ForEachShard(ctx, collect)
		return out, err
	}
	return []redis.Cmdable{s.client}, nil
}
