package redisstore

import "context"

// Ping reports whether every primary answers PING, for a readiness check such as
// /readyz: a Cluster with one master down cannot serve the sessions in its slots,
// so it is not ready. It is bounded by ctx like every call.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fail(ctx, "ping", err)
	}
	nodes, err := s.nodes(ctx)
	if err != nil {
		return fail(ctx, "ping", err)
	}
	for _, n := range nodes {
		if err := n.Ping(ctx).Err(); err != nil {
			return fail(ctx, "ping", err)
		}
	}
	return nil
}
