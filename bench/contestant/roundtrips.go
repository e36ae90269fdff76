package contestant

import (
	"context"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// roundTrips counts the requests the Go contestants send to Redis: one per
// command, one per pipeline. Redis's own INFO commandstats cannot tell them
// apart, since it also counts the commands a Lua script runs inside one EVALSHA.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// RedisRoundTrips reports how many requests (commands or pipelines) the Go
// contestants have sent to Redis so far.
func (s *Server) RedisRoundTrips() int64 { return s.trips.n.Load() }
