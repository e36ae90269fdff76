package express

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// DefaultTTL is connect-redis's ttl option default (index.ts: opts.ttl ||
// 86400): the Redis TTL of a session whose cookie has no maxAge, set again on
// every save and touch.
const DefaultTTL = 86400 * time.Second

// DefaultPrefix is connect-redis's key prefix default.
const DefaultPrefix = "sess:"

// ErrCorrupt is wrapped by the error Records returns for a value express-session
// could not read either: not JSON, not an object, or without a "cookie" object
// (Express answers such a session with HTTP 500).
var ErrCorrupt = errors.New("express: not an express-session record")

// Records reads and writes connect-redis session records: the JSON of
// express-session's session object ({"cookie":{…}, …app data}) and the TTL
// connect-redis gives its key. It maps them to sesame's session.Record:
//
//   - Meta.User is passport's user (req.session.passport.user), so a user an
//     Express app signed in with passport is signed in on the Go side, and the
//     other way round;
//   - Values are the other top-level members except "cookie", each the bytes
//     Express wrote;
//   - Meta.Idle is cookie.originalMaxAge, or TTL when the cookie has no maxAge
//     (connect-redis then gives the key that TTL on every request);
//   - the session ends when Redis drops the key: Meta.Touched is derived from the
//     key's remaining TTL, never from the stored cookie.expires, which goes stale
//     on every connect-redis touch (tj/connect-redis#259);
//   - Meta.Created and Meta.Absolute are not kept: express-session has neither.
//     Created reads as the zero time and an absolute deadline holds only for the
//     write that carries it (SessionConfig turns AbsoluteTimeout off).
//
// Records are written as connect-redis writes them: "cookie" first with its keys
// in express-session's order, JSON.stringify escaping, expires with three
// fractional digits, and a TTL of ceil(ms/1000) seconds. A Records is safe for
// concurrent use.
type Records struct {
	cookie CookieOptions
	ttl    time.Duration
	// cookieFields are the members of the cookie object other than
	// originalMaxAge and expires, for records Go creates, in order.
	cookieFields []member
}

// NewRecords returns the codec for records of an Express app whose
// express-session `cookie` option is o (the fields Go writes into the cookie
// object of the records it creates) and whose RedisStore `ttl` option is ttl (0:
// DefaultTTL). An invalid sameSite or priority, or a negative ttl, is an error.
func NewRecords(o CookieOptions, ttl time.Duration) (*Records, error) {
	var errs []error
	if _, err := o.base(); err != nil {
		errs = append(errs, problem.NewError(problem.CookieSyntax, err.Error(), "use the values express-session accepts"))
	}
	if ttl < 0 {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig, fmt.Sprintf("express: store TTL %v is negative", ttl), "leave it 0 for connect-redis's default, 86400 seconds"))
	}
	if o.MaxAge < 0 {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig, fmt.Sprintf("express: cookie MaxAge %v is negative", o.MaxAge), "leave it 0 for a browser-session cookie"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if ttl == 0 {
		ttl = DefaultTTL
	}
	r := &Records{cookie: o, ttl: ttl}
	str := func(s string) []byte { return appendJSString(nil, s) }
	if o.Partitioned {
		r.cookieFields = append(r.cookieFields, member{name: "partitioned", val: []byte("true")})
	}
	if o.Priority != "" {
		r.cookieFields = append(r.cookieFields, member{name: "priority", val: str(o.Priority)})
	}
	if o.Secure {
		r.cookieFields = append(r.cookieFields, member{name: "secure", val: []byte("true")})
	}
	r.cookieFields = append(r.cookieFields, member{name: "httpOnly", val: []byte(strconv.FormatBool(!o.NoHTTPOnly))})
	if o.Domain != "" {
		r.cookieFields = append(r.cookieFields, member{name: "domain", val: str(o.Domain)})
	}
	path := o.Path
	if path == "" {
		path = "/"
	}
	r.cookieFields = append(r.cookieFields, member{name: "path", val: str(path)})
	if o.SameSite != "" {
		v := str(o.SameSite)
		if o.SameSite == "true" {
			v = []byte("true")
		}
		r.cookieFields = append(r.cookieFields, member{name: "sameSite", val: v})
	}
	return r, nil
}

// TTL returns the store TTL for sessions without maxAge.
func (r *Records) TTL() time.Duration { return r.ttl }

// Decode maps the record data, whose key has ttl left in Redis (negative: no
// TTL, as with connect-redis's disableTTL), to a session.Record, at now. It
// fails, wrapping ErrCorrupt, where express-session fails too.
func (r *Records) Decode(data []byte, ttl time.Duration, now time.Time) (session.Record, error) {
	p, err := r.parse(data)
	if err != nil {
		return session.Record{}, err
	}
	var rec session.Record
	rec.Idle = p.idle(r.ttl)
	rec.Touched = now
	if ttl > 0 {
		rec.Touched = now.Add(ttl - rec.Idle)
	}
	rec.User = p.user
	for _, m := range p.members {
		if m.name == "cookie" || (m.name == "passport" && p.passport >= 0) {
			continue
		}
		if rec.Values == nil {
			rec.Values = make(map[string]json.RawMessage, len(p.members))
		}
		rec.Values[m.name] = json.RawMessage(m.val)
	}
	return rec, nil
}

// parsed is a record split into its members.
type parsed struct {
	members  []member
	cookie   int      // index of "cookie" in members
	fields   []member // the cookie object's members
	maxAge   float64  // cookie.originalMaxAge in ms; see hasMaxAge
	maxAgeIs maxAgeState
	passport int    // index of "passport" when it is an object, else -1
	user     string // passport.user, "" when absent
}

type maxAgeState uint8

const (
	maxAgeAbsent maxAgeState = iota // no originalMaxAge: written without originalMaxAge and expires
	maxAgeNull                      // null: written as null, null
	maxAgeSet
)

func (r *Records) parse(data []byte) (*parsed, error) {
	ms, err := splitObject(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	p := &parsed{members: ms, cookie: index(ms, "cookie"), passport: -1}
	if p.cookie < 0 {
		return nil, fmt.Errorf("%w: no \"cookie\" member (express-session throws reading cookie.expires)", ErrCorrupt)
	}
	p.fields, err = splitObject(ms[p.cookie].val)
	if err != nil {
		return nil, fmt.Errorf("%w: \"cookie\" is %v", ErrCorrupt, err)
	}
	if j := index(p.fields, "originalMaxAge"); j >= 0 {
		p.maxAgeIs = maxAgeNull
		// express-session takes any number; a positive one is an expiry.
		if f, err := strconv.ParseFloat(string(p.fields[j].val), 64); err == nil && f > 0 && !math.IsInf(f, 0) {
			p.maxAge, p.maxAgeIs = f, maxAgeSet
		}
	}
	if j := index(ms, "passport"); j >= 0 && len(ms[j].val) > 0 && ms[j].val[0] == '{' {
		p.passport = j
		pm, _ := splitObject(ms[j].val)
		if k := index(pm, "user"); k >= 0 {
			p.user = userString(pm[k].val)
		}
	}
	return p, nil
}

// userString reads passport's user: a string as it is, a number (a database
// ID, a common serializeUser choice) as its JSON text; anything else as "".
func userString(v []byte) string {
	switch {
	case len(v) > 0 && v[0] == '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	case len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
		return string(v)
	}
	return ""
}

// idle is the idle timeout the record carries.
func (p *parsed) idle(ttl time.Duration) time.Duration {
	if p.maxAgeIs == maxAgeSet {
		return time.Duration(p.maxAge * float64(time.Millisecond))
	}
	return ttl
}

// An Op is the Redis command a write comes down to.
type Op uint8

const (
	// OpSet: SET key Value EX TTL.
	OpSet Op = iota
	// OpExpire: EXPIRE key TTL, the value unchanged (connect-redis touch).
	OpExpire
	// OpDelete: DEL key; connect-redis deletes instead of writing a record
	// whose TTL comes to 0 or less (index.ts set).
	OpDelete
)

// A Write is what storing a record takes.
type Write struct {
	Op    Op
	Value []byte // for OpSet
	TTL   int64  // seconds, for OpSet and OpExpire
}

// Encode returns the write that stores rec as a new record at now, as
// connect-redis would store the same session: "cookie" first, then
// passport.user when rec.User is set, then the values in key order, each
// written as JSON.stringify would.
func (r *Records) Encode(rec session.Record, now time.Time) Write {
	noMaxAge := rec.Idle <= 0 || (r.cookie.MaxAge == 0 && rec.Idle == r.ttl)
	state := maxAgeSet
	if noMaxAge {
		state = maxAgeNull
	}
	ms := make([]member, 0, 2+len(rec.Values))
	ms = append(ms, member{name: "cookie"})
	if rec.User != "" {
		ms = append(ms, member{name: "passport", val: passportObject(nil, rec.User)})
	}
	keys := make([]string, 0, len(rec.Values))
	for k := range rec.Values {
		if k != "cookie" && !(k == "passport" && rec.User != "") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		ms = append(ms, member{name: k, val: appendJSStyle(nil, rec.Values[k])})
	}
	return r.write(ms, 0, r.cookieFields, state, rec.Meta, now)
}

// Patch applies p to the stored record old at now, preserving every member p
// does not change byte for byte and in place; new keys are appended (in key
// order), as JavaScript appends new properties. A patch that changes nothing
// but the activity time is a touch (OpExpire), as connect-redis's touch: the
// stored JSON, cookie.expires included, is not rewritten. It fails, wrapping
// ErrCorrupt, when old is not a record.
func (r *Records) Patch(old []byte, p session.Patch, now time.Time) (Write, error) {
	rec, err := r.parse(old)
	if err != nil {
		return Write{}, err
	}
	if len(p.Set) == 0 && len(p.Delete) == 0 && p.Meta.User == rec.user && p.Meta.Idle == rec.idle(r.ttl) && p.Meta.Absolute.IsZero() {
		w := r.write(nil, -1, nil, rec.keptMaxAge(p.Meta.Idle, r.ttl), p.Meta, now)
		if w.Op == OpSet {
			w.Op, w.Value = OpExpire, nil
		}
		return w, nil
	}
	ms := make([]member, 0, len(rec.members)+len(p.Set)+1)
	for _, m := range rec.members {
		if slices.Contains(p.Delete, m.name) {
			continue
		}
		if v, ok := p.Set[m.name]; ok && m.name != "cookie" {
			m.val = appendJSStyle(nil, v)
		}
		ms = append(ms, m)
	}
	var added []string
	for k := range p.Set {
		if k != "cookie" && index(rec.members, k) < 0 {
			added = append(added, k)
		}
	}
	slices.Sort(added)
	for _, k := range added {
		ms = append(ms, member{name: k, key: appendJSString(nil, k), val: appendJSStyle(nil, p.Set[k])})
	}
	if p.Meta.User != rec.user || index(ms, "passport") < 0 && p.Meta.User != "" {
		ms = setUser(ms, p.Meta.User)
	}
	return r.write(ms, index(ms, "cookie"), rec.fields, rec.keptMaxAge(p.Meta.Idle, r.ttl), p.Meta, now), nil
}

// keptMaxAge says how the cookie's maxAge is written after a change to idle: a
// record without one keeps none while its idle timeout stays the store TTL.
func (p *parsed) keptMaxAge(idle, ttl time.Duration) maxAgeState {
	if idle <= 0 || (p.maxAgeIs != maxAgeSet && idle == ttl) {
		if p.maxAgeIs == maxAgeAbsent {
			return maxAgeAbsent
		}
		return maxAgeNull
	}
	return maxAgeSet
}

// setUser points passport.user at user ("" removes it), keeping every other
// member of the passport object.
func setUser(ms []member, user string) []member {
	j := index(ms, "passport")
	if j < 0 || len(ms[j].val) == 0 || ms[j].val[0] != '{' {
		if user == "" {
			return ms
		}
		m := member{name: "passport", val: passportObject(nil, user)}
		if j >= 0 {
			ms[j].val = m.val
			return ms
		}
		return append(ms, m)
	}
	pm, _ := splitObject(ms[j].val)
	k := index(pm, "user")
	switch {
	case user == "" && k >= 0:
		pm = slices.Delete(pm, k, k+1)
	case user == "":
	case k >= 0:
		pm[k].val = appendJSString(nil, user)
	default:
		pm = append(pm, member{name: "user", key: []byte(`"user"`), val: appendJSString(nil, user)})
	}
	ms[j].val = appendObject(nil, pm)
	return ms
}

func passportObject(dst []byte, user string) []byte {
	dst = append(dst, `{"user":`...)
	dst = appendJSString(dst, user)
	return append(dst, '}')
}

// cookieOrder is express-session's Cookie#toJSON order (session/cookie.js).
var cookieOrder = [...]string{"originalMaxAge", "partitioned", "priority", "expires", "secure", "httpOnly", "domain", "path", "sameSite"}

// write builds the record from ms, whose member at index ck is replaced by the
// cookie object (fields give its members other than originalMaxAge and
// expires; ck < 0: no record, a touch), and computes connect-redis's TTL.
func (r *Records) write(ms []member, ck int, fields []member, state maxAgeState, m session.Meta, now time.Time) Write {
	var expires time.Time
	if state == maxAgeSet {
		expires = m.Expires()
	}
	// connect-redis index.ts getTTL: ceil((expires - now) / 1000) when the
	// cookie has an expiry, else the store ttl; both in whole milliseconds, as
	// JavaScript Dates are.
	ttl := int64(math.Ceil(r.ttl.Seconds()))
	if !expires.IsZero() {
		ttl = ceilDiv(expires.UnixMilli()-now.UnixMilli(), 1000)
	}
	// An absolute deadline (which express-session does not have) still ends
	// the record in Redis when it comes first.
	if !m.Absolute.IsZero() {
		ttl = min(ttl, ceilDiv(m.Absolute.UnixMilli()-now.UnixMilli(), 1000))
	}
	if ttl <= 0 {
		return Write{Op: OpDelete}
	}
	if ck < 0 {
		return Write{Op: OpSet, TTL: ttl}
	}
	var c []byte
	c = append(c, '{')
	first := true
	field := func(name string, val []byte) {
		if !first {
			c = append(c, ',')
		}
		first = false
		c = append(c, '"')
		c = append(c, name...)
		c = append(c, '"', ':')
		c = append(c, val...)
	}
	for _, name := range cookieOrder {
		switch name {
		case "originalMaxAge":
			switch state {
			case maxAgeSet:
				field(name, strconv.AppendInt(nil, m.Idle.Milliseconds(), 10))
			case maxAgeNull:
				field(name, []byte("null"))
			}
		case "expires":
			switch state {
			case maxAgeSet:
				field(name, expires.UTC().AppendFormat([]byte{'"'}, "2006-01-02T15:04:05.000Z07:00"))
				c = append(c, '"')
			case maxAgeNull:
				field(name, []byte("null"))
			}
		case "httpOnly":
			if j := index(fields, name); j >= 0 {
				field(name, fields[j].val)
			} else {
				field(name, []byte("true")) // new Cookie() default
			}
		case "path":
			if j := index(fields, name); j >= 0 {
				field(name, fields[j].val)
			} else {
				field(name, []byte(`"/"`)) // new Cookie() default
			}
		default:
			if j := index(fields, name); j >= 0 {
				field(name, fields[j].val)
			}
		}
	}
	c = append(c, '}')
	ms[ck].val = c
	for i := range ms {
		if ms[i].key == nil {
			ms[i].key = appendJSString(nil, ms[i].name)
		}
	}
	return Write{Op: OpSet, Value: appendObject(nil, ms), TTL: ttl}
}

// ceilDiv is ceil(a/b) for b > 0.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b > 0 {
		q++
	}
	return q
}
