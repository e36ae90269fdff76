package express_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/internal/vectors"
	"github.com/sesame-go/sesame/session"
)

// TestFormatVectors: every session cookie express-session set in the vectors
// decodes through the session.Format to its session ID, and re-encodes to the
// same bytes.
func TestFormatVectors(t *testing.T) {
	v := load(t, vectors.LoadSession)
	n := 0
	for _, sc := range v.Scenarios {
		f, err := express.NewFormat(sc.SessionOptions.Secret)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sc.Steps {
			for _, d := range st.Decoded {
				if d.SessionID == "" {
					continue
				}
				n++
				if id, why := f.Decode(d.RawValue); why != session.Found || id != d.SessionID {
					t.Fatalf("%s/%s: Decode(%q): got (%q, %v), want (%q, found)", sc.Name, st.Label, d.RawValue, id, why, d.SessionID)
				}
				if got := string(f.AppendValue(nil, d.SessionID)); got != d.RawValue {
					t.Fatalf("%s/%s: AppendValue: got %s, want %s", sc.Name, st.Label, got, d.RawValue)
				}
				if got := string(f.AppendStoreKey([]byte("sess:"), d.SessionID)); got != "sess:"+d.SessionID {
					t.Fatalf("AppendStoreKey: got %s, want sess:%s", got, d.SessionID)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("decoded %d cookies, want over 20", n)
	}
}

func TestFormatRefuses(t *testing.T) {
	f, err := express.NewFormat([]string{"sek-current", "sek-old"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := express.NewFormat([]string{"other"})
	id := express.NewID()
	good := string(f.AppendValue(nil, id))
	tests := []struct {
		name, value string
		want        session.Reason
	}{
		{"empty", "", session.Malformed},
		{"sesame native", id + ".abc", session.Malformed},
		{"no s: prefix", strings.TrimPrefix(good, "s%3A"), session.Malformed},
		{"unsigned", "s%3A" + id, session.Malformed},
		{"short signature", good[:len(good)-1], session.Malformed},
		{"other secret", string(other.AppendValue(nil, id)), session.BadSignature},
		{"tampered", strings.Replace(good, id[:4], "AAAA", 1), session.BadSignature},
		{"padded", good + "%3D", session.Malformed},
		{"bad percent keeps raw", good + "%", session.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := f.Decode(tt.value)
			if why != tt.want || got != "" {
				t.Fatalf("Decode(%q): got (%q, %v), want (\"\", %v)", tt.value, got, why, tt.want)
			}
			if a := testing.AllocsPerRun(100, func() { f.Decode(tt.value) }); a != 0 && !raceEnabled {
				t.Fatalf("Decode(%q): got %v allocations, want 0 for a refused value", tt.value, a)
			}
		})
	}
	// A raw "s:" (no URL-encoding) is read as express-session reads it.
	if got, why := f.Decode(strings.Replace(good, "%3A", ":", 1)); why != session.Found || got != id {
		t.Fatalf("raw s: value: got (%q, %v), want (%q, found)", got, why, id)
	}
	if _, err := express.NewFormat(nil); err == nil {
		t.Fatal("NewFormat(nil): got no error, want SES030")
	}
}

func BenchmarkFormatDecode(b *testing.B) {
	f, _ := express.NewFormat([]string{"sek-current", "sek-old"})
	good := string(f.AppendValue(nil, express.NewID()))
	bad := good[:len(good)-4] + "AAAA"
	b.Run("valid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.Decode(good)
		}
	})
	b.Run("forged", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f.Decode(bad)
		}
	})
}

func FuzzFormatDecode(f *testing.F) {
	format, _ := express.NewFormat([]string{"sek-current", "sek-old"})
	id := express.NewID()
	f.Add(string(format.AppendValue(nil, id)))
	f.Add("s:" + id + ".sig")
	f.Add("s%3A%FF.x")
	f.Add("%")
	f.Fuzz(func(t *testing.T, value string) {
		got, why := format.Decode(value)
		if (why == session.Found) != (got != "") && !(why == session.Found && got == "") {
			t.Fatalf("Decode(%q): got (%q, %v): an ID only when found", value, got, why)
		}
		if why == session.Found {
			if enc := string(format.AppendValue(nil, got)); enc != value {
				// Encoding is canonical; the accepted value may be raw or
				// quoted differently, but it must decode the same.
				if again, w := format.Decode(enc); w != session.Found || again != got {
					t.Fatalf("re-encoding %q: got (%q, %v), want (%q, found)", got, again, w, got)
				}
			}
		}
	})
}

func FuzzRecordDecode(f *testing.F) {
	recs, _ := express.NewRecords(express.CookieOptions{}, 0)
	f.Add([]byte(`{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"}}`))
	f.Add([]byte(`{"cookie":{},"a":{"b":[1,"}"]},"a":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := recs.Decode(data, 0, testNow)
		if err != nil {
			return
		}
		// Whatever decodes can be patched, and the patch decodes to what was
		// asked for.
		p := session.Patch{Meta: rec.Meta, Set: map[string]jsonRaw{"k": jsonRaw(`"v"`)}}
		p.Meta.User = "u"
		w, err := recs.Patch(data, p, testNow)
		if err != nil {
			t.Fatalf("Patch of a record Decode accepted: %v", err)
		}
		if w.Op != express.OpSet {
			return
		}
		again, err := recs.Decode(w.Value, 0, testNow)
		if err != nil || again.User != "u" || string(again.Values["k"]) != `"v"` {
			t.Fatalf("after Patch: got user %q, k %s (%v), want u and \"v\"\nrecord %s", again.User, again.Values["k"], err, w.Value)
		}
	})
}

// FuzzJSStyle: JSON.stringify-style output of what encoding/json wrote is JSON
// that means the same.
func FuzzJSStyle(f *testing.F) {
	f.Add("<script>&\u2028\u2029", math.Copysign(0, -1))
	f.Add(`\u003c "quoted" \\ back`, 1e21)
	f.Add("\x00\x1f\x7f\xff", 0.1)
	f.Fuzz(func(t *testing.T, s string, n float64) {
		in := map[string]any{"s": s, "n": n, "a": []any{s, n, map[string]string{s: s}}}
		raw, err := json.Marshal(in)
		if err != nil {
			return // NaN, ±Inf
		}
		out := express.JSStyle(raw)
		var want, got any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("JSStyle(%s) = %s: not JSON: %v", raw, out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("JSStyle(%s) = %s: got %v, want %v", raw, out, got, want)
		}
	})
}
