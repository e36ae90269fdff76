package express_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/internal/vectors"
	"github.com/sesame-go/sesame/session"
)

func loadRedisVectors(t *testing.T) *vectors.Redis {
	t.Helper()
	v := load(t, vectors.LoadRedis)
	if len(v.Scenarios) < 15 || len(v.ForeignRecords.Cases) < 10 {
		t.Fatalf("connect-redis.json: got %d scenarios and %d foreign records, want 15 and 10", len(v.Scenarios), len(v.ForeignRecords.Cases))
	}
	return v
}

// records returns the codec for a scenario's options, or ok false when they
// are ones Records does not model (secure:"auto" resolved per request, maxAge 0,
// disableTouch, disableTTL).
func scenarioRecords(t *testing.T, sc *vectors.Scenario) (*express.Records, bool) {
	c := sc.SessionOptions.Cookie
	o := express.CookieOptions{Domain: c.Domain, Path: c.Path, Partitioned: c.Partitioned, Priority: c.Priority}
	if c.HTTPOnly != nil {
		o.NoHTTPOnly = !*c.HTTPOnly
	}
	ok := !sc.StoreOptions.DisableTouch && !sc.StoreOptions.DisableTTL
	if c.MaxAge != nil {
		o.MaxAge = time.Duration(*c.MaxAge) * time.Millisecond
		ok = ok && *c.MaxAge > 0
	}
	switch s := c.Secure.(type) {
	case bool:
		o.Secure = s
	case string:
		ok = false
	}
	switch s := c.SameSite.(type) {
	case string:
		if s == "auto" {
			ok = false // resolved per request when the session is made
			break
		}
		o.SameSite = s
	case bool:
		o.SameSite = strconv.FormatBool(s)
	}
	r, err := express.NewRecords(o, time.Duration(sc.StoreOptions.TTL)*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return r, ok
}

// rawValues compacts the values the vector file pretty-prints.
func rawValues(data map[string]json.RawMessage) map[string]json.RawMessage {
	if len(data) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(data))
	for k, v := range data {
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			panic(err)
		}
		out[k] = b.Bytes()
	}
	return out
}

// TestRecordVectors replays every step of every connect-redis scenario whose
// options Records models: Go writes what connect-redis wrote (SET value and EX,
// EXPIRE, DEL), byte for byte, and decodes what it stored.
func TestRecordVectors(t *testing.T) {
	v := loadRedisVectors(t)
	checked := 0
	for _, sc := range append(v.Scenarios, v.ForeignRecords.Cases...) {
		t.Run(sc.Name, func(t *testing.T) {
			recs, modelled := scenarioRecords(t, &sc)
			stored := map[string]string{} // key → value, as Redis holds it
			ttls := map[string]int64{}
			if w := sc.RecordWritten; w != nil {
				stored[w.Key], ttls[w.Key] = w.Value, w.TTL
			}
			for _, st := range sc.Steps {
				for _, c := range st.RedisSetup {
					switch c[0] {
					case "SET":
						stored[c[1]] = c[2]
						ttls[c[1]], _ = strconv.ParseInt(c[4], 10, 64)
					case "EXPIRE":
						ttls[c[1]], _ = strconv.ParseInt(c[2], 10, 64)
					}
				}
				if modelled {
					checked += replayStep(t, recs, sc.SessionOptions.Resave, st, stored, ttls)
				}
				for _, a := range st.RedisAfter {
					if a.Exists {
						stored[a.Key], ttls[a.Key] = *a.Value, a.TTL
						checkDecodes(t, recs, st, *a.Value, a.TTL)
					} else {
						delete(stored, a.Key)
					}
				}
			}
		})
	}
	if checked < 20 {
		t.Fatalf("checked %d Redis commands, want over 20", checked)
	}
}

// checkDecodes: a record Express stored decodes to the data its response showed.
func checkDecodes(t *testing.T, recs *express.Records, st vectors.Step, value string, ttl int64) {
	t.Helper()
	rec, err := recs.Decode([]byte(value), time.Duration(ttl)*time.Second, st.Clock)
	if st.Response.Status == 500 {
		if !errors.Is(err, express.ErrCorrupt) {
			t.Fatalf("%s: Decode(%s): got %v, want ErrCorrupt (Express answered 500)", st.Label, value, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: Decode(%s): %v", st.Label, value, err)
	}
	if !rec.Live(st.Clock) {
		t.Fatalf("%s: Decode: got a session ending %v at %v, want it live while Redis keeps it", st.Label, rec.Expires(), st.Clock)
	}
	if ttl > 0 {
		if got, want := rec.Expires(), st.Clock.Add(time.Duration(ttl)*time.Second); !got.Equal(want) {
			t.Fatalf("%s: Expires: got %v, want %v (the Redis TTL, not the stored cookie.expires)", st.Label, got, want)
		}
	}
	body := st.Response.Body
	if body == nil || body.SessionID == nil || *body.SessionID == "" {
		return
	}
	data := body.Data
	if !equalJSONMaps(rec.Values, data) {
		t.Fatalf("%s: Values: got %s, want %s", st.Label, fmtValues(rec.Values), fmtValues(data))
	}
}

func equalJSONMaps(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok {
			return false
		}
		var vx, vy any
		if json.Unmarshal(x, &vx) != nil || json.Unmarshal(y, &vy) != nil || !reflect.DeepEqual(vx, vy) {
			return false
		}
	}
	return true
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func fmtValues(m map[string]json.RawMessage) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// replayStep makes the Go side do what the Express app did in st and compares
// the Redis commands; it returns how many it compared.
func replayStep(t *testing.T, recs *express.Records, resave bool, st vectors.Step, stored map[string]string, ttls map[string]int64) int {
	t.Helper()
	n := 0
	read := ""
	for _, c := range st.RedisCommands {
		switch c[0] {
		case "GET":
			read = c[1]
		case "SET":
			want := express.Write{Op: express.OpSet, Value: []byte(c[2]), TTL: mustInt(t, c[4])}
			data := rawValues(st.Response.Body.Data)
			old, known := stored[c[1]]
			var got express.Write
			if read == c[1] && known {
				// A change to a stored session: a patch of the keys that differ.
				rec, err := recs.Decode([]byte(old), time.Duration(ttls[c[1]])*time.Second, st.Clock)
				if err != nil {
					t.Fatalf("%s: Decode: %v", st.Label, err)
				}
				p := session.Patch{Meta: rec.Meta, Set: map[string]json.RawMessage{}}
				p.Meta.Touched = st.Clock
				for k, v := range data {
					if !bytes.Equal(rec.Values[k], v) {
						p.Set[k] = v
					}
				}
				for k := range rec.Values {
					if _, ok := data[k]; !ok {
						p.Delete = append(p.Delete, k)
					}
				}
				if len(p.Set) == 0 && len(p.Delete) == 0 && resave {
					// resave:true rewrites an unchanged session: a Go Save.
					got = recs.Encode(session.Record{Meta: p.Meta, Values: rec.Values}, st.Clock)
				} else if got, err = recs.Patch([]byte(old), p, st.Clock); err != nil {
					t.Fatalf("%s: Patch: %v", st.Label, err)
				}
				// Go keeps foreign bytes Express would re-escape: equal once
				// written in JSON.stringify's style.
				if !bytes.Equal(got.Value, want.Value) && bytes.Equal(express.JSStyle(got.Value), want.Value) {
					got.Value = want.Value
				}
			} else {
				// A new session (login, regenerate).
				got = recs.Encode(session.Record{Meta: session.Meta{Touched: st.Clock, Idle: idleOf(t, recs, c[2])}, Values: data}, st.Clock)
			}
			if len(data) > 1 && !known && len(got.Value) == len(want.Value) && sameJSON(got.Value, want.Value) {
				// A new session with several keys: Go writes them in key
				// order, JavaScript in the order the app set them; each
				// value's bytes are the same, so the lengths are.
				got.Value = want.Value
			}
			if got.Op != want.Op || got.TTL != want.TTL || !bytes.Equal(got.Value, want.Value) {
				t.Fatalf("%s: SET %s:\ngot  op %d %s EX %d\nwant op %d %s EX %d", st.Label, c[1], got.Op, got.Value, got.TTL, want.Op, want.Value, want.TTL)
			}
			n++
		case "EXPIRE":
			rec, err := recs.Decode([]byte(stored[c[1]]), time.Duration(ttls[c[1]])*time.Second, st.Clock)
			if err != nil {
				t.Fatalf("%s: Decode: %v", st.Label, err)
			}
			rec.Touched = st.Clock
			got, err := recs.Patch([]byte(stored[c[1]]), session.Patch{Meta: rec.Meta}, st.Clock)
			if err != nil || got.Op != express.OpExpire || got.TTL != mustInt(t, c[2]) {
				t.Fatalf("%s: touch: got %+v (%v), want EXPIRE %s", st.Label, got, err, c[2])
			}
			n++
		}
	}
	return n
}

// idleOf is the idle timeout of the session whose record Express wrote.
func idleOf(t *testing.T, recs *express.Records, value string) time.Duration {
	rec, err := recs.Decode([]byte(value), -1, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return rec.Idle
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRecordPassport: passport's user is the session's user both ways, and the
// rest of the passport object survives.
func TestRecordPassport(t *testing.T) {
	recs, err := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)
	meta := session.Meta{Touched: now, Idle: time.Hour, User: "alice"}
	w := recs.Encode(session.Record{Meta: meta, Values: map[string]json.RawMessage{"theme": json.RawMessage(`"<dark>"`)}}, now)
	want := `{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"theme":"<dark>"}`
	if string(w.Value) != want || w.TTL != 3600 {
		t.Fatalf("Encode: got %s EX %d, want %s EX 3600", w.Value, w.TTL, want)
	}
	tests := []struct {
		name, stored, user, want string
	}{
		{"express login seen by Go", `{"cookie":{},"passport":{"user":"bob","extra":[1, 2]},"n":1}`, "bob", ""},
		{"numeric id", `{"cookie":{},"passport":{"user":42}}`, "42", ""},
		{"Go signs out", `{"cookie":{"originalMaxAge":3600000},"passport":{"extra":true,"user":"bob"},"n":1}`, "",
			`{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"extra":true},"n":1}`},
		{"Go signs in", `{"cookie":{"originalMaxAge":3600000},"n":1}`, "carol",
			`{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"n":1,"passport":{"user":"carol"}}`},
		{"Go switches user", `{"cookie":{"originalMaxAge":3600000},"passport":{"user":"bob"}}`, "dave",
			`{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"dave"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				rec, err := recs.Decode([]byte(tt.stored), time.Hour, now)
				if err != nil || rec.User != tt.user {
					t.Fatalf("Decode: got user %q (%v), want %q", rec.User, err, tt.user)
				}
				if _, ok := rec.Values["passport"]; ok {
					t.Fatalf("Values: got a passport key, want it mapped to User")
				}
				return
			}
			w, err := recs.Patch([]byte(tt.stored), session.Patch{Meta: session.Meta{Touched: now, Idle: time.Hour, User: tt.user}}, now)
			if err != nil || string(w.Value) != tt.want {
				t.Fatalf("Patch: got %s (%v)\nwant %s", w.Value, err, tt.want)
			}
		})
	}
}

// TestRecordPreservesForeignBytes: a patch rewrites the cookie object and the
// keys it sets, and leaves every other member's bytes and position alone.
func TestRecordPreservesForeignBytes(t *testing.T) {
	recs, _ := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	now := time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)
	old := `{"z": {"b":1, "a":"\u003c"},"cookie":{"path":"/app","originalMaxAge":3600000,"odd":1},"n":1e3,"gone":true,"u":"\u00e9"}`
	p := session.Patch{
		Meta:   session.Meta{Touched: now, Idle: time.Hour},
		Set:    map[string]json.RawMessage{"n": json.RawMessage(`"<b>\u2028"`), "new": json.RawMessage(`-0`)},
		Delete: []string{"gone"},
	}
	w, err := recs.Patch([]byte(old), p, now)
	want := `{"z":{"b":1, "a":"\u003c"},"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/app"},"n":"<b>` + "\u2028" + `","u":"\u00e9","new":0}`
	if err != nil || string(w.Value) != want || w.Op != express.OpSet {
		t.Fatalf("got %s (%v)\nwant %s", w.Value, err, want)
	}
	rec, err := recs.Decode(w.Value, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	keys := slicesSorted(maps.Keys(rec.Values))
	if !reflect.DeepEqual(keys, []string{"n", "new", "u", "z"}) {
		t.Fatalf("Values keys: got %v, want [n new u z]", keys)
	}
}

func slicesSorted(seq func(func(string) bool)) []string {
	var out []string
	for k := range seq {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestJSStyleMatchesJSONStringify: encoding/json's output of every value Express
// stored in the rich-data vector, once in JSON.stringify's style, is Express's
// bytes.
func TestJSStyleMatchesJSONStringify(t *testing.T) {
	v := loadRedisVectors(t)
	compared := 0
	for _, sc := range v.Scenarios {
		if sc.Name != "all-cookie-options-rich-data" {
			continue
		}
		value := sc.Steps[0].RedisCommands[0][2]
		var members map[string]json.RawMessage
		if err := json.Unmarshal([]byte(value), &members); err != nil {
			t.Fatal(err)
		}
		for k, raw := range members {
			var x any
			if err := json.Unmarshal(raw, &x); err != nil {
				t.Fatal(err)
			}
			goJSON, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			if k == "cookie" {
				continue // key order of an object is not a map's
			}
			if got := express.JSStyle(goJSON); !bytes.Equal(got, raw) {
				t.Errorf("%s: got %s, want %s", k, got, raw)
			}
			compared++
		}
	}
	if compared < 10 {
		t.Fatalf("compared %d values, want the 14 of all-cookie-options-rich-data", compared)
	}
}

func TestNewRecordsRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    express.CookieOptions
		ttl  time.Duration
	}{
		{"sameSite", express.CookieOptions{SameSite: "sometimes"}, 0},
		{"priority", express.CookieOptions{Priority: "urgent"}, 0},
		{"negative ttl", express.CookieOptions{}, -time.Second},
		{"negative maxAge", express.CookieOptions{MaxAge: -time.Second}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := express.NewRecords(tt.o, tt.ttl); err == nil {
				t.Fatal("got no error, want one")
			}
		})
	}
}

type jsonRaw = json.RawMessage

var testNow = time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)

// TestRecordAbsoluteDeadline: a record whose absolute deadline comes before its
// idle one lives in Redis until the absolute one; one already past is deleted.
func TestRecordAbsoluteDeadline(t *testing.T) {
	recs, _ := express.NewRecords(express.CookieOptions{}, 0)
	tests := []struct {
		name     string
		idle     time.Duration
		absolute time.Duration
		op       express.Op
		ttl      int64
	}{
		{"no maxAge, absolute in 10 min", express.DefaultTTL, 10 * time.Minute, express.OpSet, 600},
		{"maxAge 1h, absolute in 90.5 s", time.Hour, 90500 * time.Millisecond, express.OpSet, 91},
		{"absolute passed", time.Hour, -time.Second, express.OpDelete, 0},
		{"no maxAge, absolute passed", express.DefaultTTL, -time.Second, express.OpDelete, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := recs.Encode(session.Record{Meta: session.Meta{Touched: testNow, Idle: tt.idle, Absolute: testNow.Add(tt.absolute)}}, testNow)
			if w.Op != tt.op || w.TTL != tt.ttl {
				t.Fatalf("got op %d EX %d, want op %d EX %d", w.Op, w.TTL, tt.op, tt.ttl)
			}
		})
	}
}
