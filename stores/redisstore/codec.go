package redisstore

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/sesame-go/sesame/session"
)

// The fields of a session hash. Meta fields start with "m:", values with "v:",
// so no session key can collide with the bookkeeping. Times are RFC 3339 in UTC
// ("" for the zero time) so that redis-cli shows them legibly.
const (
	fieldCreated  = "m:created"
	fieldTouched  = "m:touched"
	fieldIdle     = "m:idle" // nanoseconds
	fieldAbsolute = "m:absolute"
	fieldUser     = "m:user"
	// fieldExpires repeats the times as numbers for the Lua scripts, which
	// read no RFC 3339: "<expires> <touched> <absolute>", Meta.Expires in Unix
	// milliseconds (0: never), Touched in Unix microseconds, Absolute in Unix
	// milliseconds (0: none), the milliseconds rounded up. Every script refuses
	// a record that has expired by the application's clock even if Redis has
	// not dropped it yet (the first number); applyScript moves the idle
	// deadline from the other two. One field rather than three keeps a
	// session's hash, and so Load's HGETALL reply, small. Records written
	// before the second and third numbers existed hold only the first; they
	// load, and an Apply of one falls back to a read and a patch, which
	// rewrites it whole.
	fieldExpires = "m:expires"
	// fieldMoving marks a record a Cluster move has copied and not yet
	// finalized; its value is the new store key (see move.go). Patches refuse a
	// record that carries it.
	fieldMoving = "m:moving"
	// fieldMoved is the only field of a forward: what a moved session's old key
	// holds for a short while, naming the new store key (see move.go).
	fieldMoved = "m:moved"

	valuePrefix = "v:"
	metaFields  = 6
)

// appendMeta appends the meta fields of m as field, value pairs.
func appendMeta(args []any, m session.Meta) []any {
	return append(args,
		fieldCreated, formatTime(m.Created),
		fieldTouched, formatTime(m.Touched),
		fieldIdle, strconv.FormatInt(int64(m.Idle), 10),
		fieldAbsolute, formatTime(m.Absolute),
		fieldUser, m.User,
		fieldExpires, formatExpires(m),
	)
}

// formatExpires is the value of fieldExpires for m.
func formatExpires(m session.Meta) string {
	b := make([]byte, 0, 48)
	b = strconv.AppendInt(b, expiresMillis(m.Expires()), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, m.Touched.UnixMicro(), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, expiresMillis(m.Absolute), 10)
	return string(b)
}

// checkExpires checks a fieldExpires value: one number (a record written
// before the other two existed) or three.
func checkExpires(v string) error {
	for n := 1; ; n++ {
		f, rest, more := strings.Cut(v, " ")
		if _, err := strconv.ParseInt(f, 10, 64); err != nil {
			return err
		}
		if !more {
			if n != 1 && n != 3 {
				return errors.New("want 1 or 3 numbers")
			}
			return nil
		}
		v = rest
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// expiresMillis is exp in Unix milliseconds, rounded up so that a record is never
// called expired before exp; 0 stands for "never".
func expiresMillis(exp time.Time) int64 {
	if exp.IsZero() {
		return 0
	}
	ms := exp.UnixMilli()
	if exp.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return ms
}

// ttlMillis is how long Redis should keep a record expiring at exp, measured on
// the application's clock and rounded up: 0 for "never", negative when the record
// has already expired. A relative TTL (PEXPIRE) rather than an absolute deadline
// (PEXPIREAT) keeps expiry right when the Redis host's clock disagrees with the
// application's.
func ttlMillis(exp, now time.Time) int64 {
	if exp.IsZero() {
		return 0
	}
	d := exp.Sub(now) // saturates at about 292 years, which is still a valid TTL
	if d <= 0 {
		return -1
	}
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++ // round up without adding to d, which may already be the largest Duration
	}
	return ms
}

// errCorrupt marks a record this store cannot read: foreign or damaged data under
// the prefix. Such a record is reported as missing, never as a store failure.
var errCorrupt = errors.New("record cannot be decoded")

func corrupt(reason string) error {
	return &corruptError{reason}
}

type corruptError struct{ reason string }

func (e *corruptError) Error() string { return errCorrupt.Error() + ": " + e.reason }
func (e *corruptError) Unwrap() error { return errCorrupt }

// errMoved is what decode reports for a forward: the old key of a moved session,
// which Load reports missing without a warning.
var errMoved = errors.New("session moved")

// decode turns the fields of a session hash into a Record. It checks every field,
// so that garbage under the prefix is told apart from a session.
func decode(fields map[string]string) (session.Record, error) {
	if _, ok := fields[fieldMoved]; ok {
		return session.Record{}, errMoved
	}
	var (
		rec  session.Record
		seen int
		err  error
	)
	for f, v := range fields {
		if name, ok := strings.CutPrefix(f, valuePrefix); ok {
			if !json.Valid([]byte(v)) {
				return session.Record{}, corrupt("value " + strconv.Quote(name) + " is not JSON")
			}
			if rec.Values == nil {
				rec.Values = make(map[string]json.RawMessage, len(fields)-metaFields)
			}
			rec.Values[name] = json.RawMessage(v)
			continue
		}
		if f == fieldMoving {
			continue // a move in progress: the record is still the session's
		}
		seen++
		switch f {
		case fieldCreated:
			rec.Created, err = parseTime(v)
		case fieldTouched:
			rec.Touched, err = parseTime(v)
		case fieldAbsolute:
			rec.Absolute, err = parseTime(v)
		case fieldIdle:
			var n int64
			n, err = strconv.ParseInt(v, 10, 64)
			rec.Idle = time.Duration(n)
		case fieldUser:
			rec.User = v
		case fieldExpires:
			err = checkExpires(v)
		default:
			return session.Record{}, corrupt("unknown field " + strconv.Quote(f))
		}
		if err != nil {
			return session.Record{}, corrupt("field " + f + ": " + err.Error())
		}
	}
	if seen != metaFields {
		return session.Record{}, corrupt("meta fields missing")
	}
	return rec, nil
}
