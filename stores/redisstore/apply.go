package redisstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/session"
)

var _ session.Applier = (*Store)(nil)

// Apply writes a change to the session under key without the caller having
// read it (session.Applier): one applyScript call, which checks that the
// session is live by the application's clock (a.Now) and not being moved,
// sets and deletes the fields, and moves the idle deadline (m:touched, the
// TTL, and on a single server the user set's TTL) when a.TouchInterval has
// passed since the stored Touched. On a Cluster or Ring a moved deadline
// extends the user set in a second call, as a Patch's pipeline does. A record
// written by an older version (without the numeric meta fields) is read and
// patched instead, which adds them.
func (s *Store) Apply(ctx context.Context, key string, a session.Apply) (session.Applied, error) {
	defer s.evict(key)
	if err := ctx.Err(); err != nil {
		return session.Applied{}, fail(ctx, "apply", err)
	}
	now := a.Now
	if now.IsZero() {
		now = time.Now()
	}
	prefix := ""
	if s.single {
		prefix = s.prefix
	}
	interval := a.TouchInterval / time.Microsecond
	if a.TouchInterval%time.Microsecond != 0 {
		interval++
	}
	clock := make([]byte, 0, 128)
	clock = strconv.AppendInt(clock, now.UnixMilli(), 10)
	clock = append(clock, ' ')
	clock = strconv.AppendInt(clock, int64(now.Nanosecond()%int(time.Millisecond)), 10)
	clock = append(clock, ' ')
	clock = strconv.AppendInt(clock, now.UnixMicro(), 10)
	clock = append(clock, ' ')
	clock = strconv.AppendInt(clock, int64(interval), 10)
	clock = append(clock, ' ')
	clock = now.UTC().AppendFormat(clock, time.RFC3339Nano)
	clock = append(clock, ' ')
	clock = append(clock, key...)
	args := make([]any, 0, 3+len(a.Delete)+2*len(a.Set))
	args = append(args, clock, prefix, len(a.Delete))
	for _, f := range a.Delete {
		args = append(args, valuePrefix+f)
	}
	for f, v := range a.Set {
		args = append(args, valuePrefix+f, []byte(v))
	}
	c := call{script: applyScript, keys: []string{s.sessionKey(key)}, args: args}
	c.run(ctx, s.client)
	reply, err := c.cmd.Slice()
	if err != nil {
		if redis.HasErrorPrefix(err, "WRONGTYPE") {
			s.warn.corrupt(key, corrupt("the key is not a hash"))
			return session.Applied{}, nil
		}
		return session.Applied{}, fail(ctx, "apply", err)
	}
	if len(reply) == 0 {
		return session.Applied{}, fail(ctx, "apply", errUnexpectedReply)
	}
	switch reply[0] {
	case int64(0):
		return session.Applied{}, nil
	case int64(-1):
		return s.applyLegacy(ctx, key, a, now)
	}
	packed, ok := reply[len(reply)-1].(string)
	if len(reply) != 2 || !ok {
		return session.Applied{}, fail(ctx, "apply", errUnexpectedReply)
	}
	r, ttl, err := appliedReply(packed, now)
	if err != nil {
		if err == errUnexpectedReply {
			return session.Applied{}, fail(ctx, "apply", err)
		}
		// Meta this store cannot read: Load reports such a record missing,
		// and so does Apply.
		s.warn.corrupt(key, err)
		return session.Applied{}, nil
	}
	if r.Touched && !s.single && r.Meta.User != "" {
		// The user set is in another slot: extend it here, as write does in
		// its pipeline. Only when the deadline moved, once per TouchInterval.
		idx := call{script: indexScript, keys: []string{s.userKey(r.Meta.User)}, args: []any{key, ttl}}
		idx.run(ctx, s.client)
		if err := idx.cmd.Err(); err != nil {
			return session.Applied{}, fail(ctx, "apply", err)
		}
	}
	return r, nil
}

// appliedReply decodes the second element of applyScript's reply:
// "<touched> <ttl>\n<created>\n<touched time>\n<idle>\n<absolute>\n<user>".
func appliedReply(packed string, now time.Time) (session.Applied, int64, error) {
	var lines [5]string
	rest := packed
	for i := range lines {
		var ok bool
		if lines[i], rest, ok = strings.Cut(rest, "\n"); !ok {
			return session.Applied{}, 0, errUnexpectedReply
		}
	}
	flag, ttlText, ok := strings.Cut(lines[0], " ")
	ttl, err := strconv.ParseInt(ttlText, 10, 64)
	if !ok || err != nil || (flag != "0" && flag != "1") {
		return session.Applied{}, 0, errUnexpectedReply
	}
	r := session.Applied{Applied: true, Touched: flag == "1"}
	r.Meta.User = rest
	if r.Meta.Created, err = parseTime(lines[1]); err != nil {
		return session.Applied{}, 0, corrupt("field " + fieldCreated + ": " + err.Error())
	}
	if r.Touched {
		r.Meta.Touched = now
	} else if r.Meta.Touched, err = parseTime(lines[2]); err != nil {
		return session.Applied{}, 0, corrupt("field " + fieldTouched + ": " + err.Error())
	}
	idle, err := strconv.ParseInt(lines[3], 10, 64)
	if err != nil {
		return session.Applied{}, 0, corrupt("field " + fieldIdle + ": " + err.Error())
	}
	r.Meta.Idle = time.Duration(idle)
	if r.Meta.Absolute, err = parseTime(lines[4]); err != nil {
		return session.Applied{}, 0, corrupt("field " + fieldAbsolute + ": " + err.Error())
	}
	return r, ttl, nil
}

// applyLegacy applies a to a record written before the numeric meta fields:
// it reads the record, decides the touch here, and patches it (the patch
// writes every meta field, so the next Apply of this record is one call). The
// patch is atomic and refuses a record that is gone meanwhile; a touch that a
// concurrent request made between the read and the patch is overwritten by
// this one's, which is as recent.
func (s *Store) applyLegacy(ctx context.Context, key string, a session.Apply, now time.Time) (session.Applied, error) {
	fields, err := s.client.HGetAll(ctx, s.sessionKey(key)).Result()
	if err != nil {
		return session.Applied{}, fail(ctx, "apply", err)
	}
	rec, err := decode(fields)
	if err != nil || !rec.Live(now) {
		return session.Applied{}, nil
	}
	meta := rec.Meta
	touched := meta.Idle > 0 && now.Sub(meta.Touched) >= a.TouchInterval
	if touched {
		meta.Touched = now
	}
	applied, err := s.write(ctx, "apply", key, meta, a.Delete, a.Set)
	if err != nil || !applied {
		return session.Applied{}, err
	}
	return session.Applied{Meta: meta, Applied: true, Touched: touched}, nil
}
