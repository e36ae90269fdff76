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
	flag, strs, err := c.results(1)
	if err != nil {
		return false, "", err
	}
	return flag, strs[0], nil
}

// results decodes a {flag, string...} reply with n strings.
func (c *call) results(n int) (flag bool, strs []string, err error) {
	reply, err := c.cmd.Slice()
	if err != nil {
		return false, nil, err
	}
	if len(reply) != 1+n {
		return false, nil, errUnexpectedReply
	}
	f, ok := reply[0].(int64)
	if !ok {
		return false, nil, errUnexpectedReply
	}
	strs = make([]string, n)
	for i, r := range reply[1:] {
		if strs[i], ok = r.(string); !ok {
			return false, nil, errUnexpectedReply
		}
	}
	return f == 1, strs, nil
}

var errUnexpectedReply = errors.New("redisstore: unexpected script reply")
