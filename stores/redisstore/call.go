package redisstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

// A call is one script invocation and, once run, its reply.
type call struct {
	script *redis.Script
	keys   []string
	args   []any
	cmd    *redis.Cmd
}

// run sends the call alone: EVALSHA, then EVAL if the server has not cached the
// script (after a restart or SCRIPT FLUSH).
func (c *call) run(ctx context.Context, client redis.Scripter) {
	c.cmd = c.script.Run(ctx, client, c.keys, c.args...)
}

// pipelined sends the calls in one pipeline with EVALSHA, then repeats with EVAL,
// one by one, those that met NOSCRIPT: a script that met NOSCRIPT did not run, so
// repeating it is safe.
func pipelined(ctx context.Context, client redis.UniversalClient, calls ...*call) {
	_, _ = client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, c := range calls {
			c.cmd = c.script.EvalSha(ctx, p, c.keys, c.args...)
		}
		return nil
	})
	for _, c := range calls {
		if redis.HasErrorPrefix(c.cmd.Err(), "NOSCRIPT") {
			c.cmd = c.script.Eval(ctx, client, c.keys, c.args...)
		}
	}
}

// result decodes the {flag, old user} reply of writeScript and deleteScript.
func (c *call) result() (flag bool, old string, err error) {
	reply, err := c.cmd.Slice()
	if err != nil {
		return false, "", err
	}
	if len(reply) != 2 {
		return false, "", errUnexpectedReply
	}
	n, ok1 := reply[0].(int64)
	old, ok2 := reply[1].(string)
	if !ok1 || !ok2 {
		return false, "", errUnexpectedReply
	}
	return n == 1, old, nil
}

var errUnexpectedReply = errors.New("redisstore: unexpected script reply")
