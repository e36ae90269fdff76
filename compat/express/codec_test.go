package express_test

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/internal/vectors"
)

// load reads one vector file or stops the test with the loader's message,
// which names the make target that regenerates the files.
func load[T any](t testing.TB, f func() (*T, error)) *T {
	t.Helper()
	v, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// at runs f in a synctest bubble whose clock reads clock.
func at(t *testing.T, clock time.Time, f func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(clock)) // moves the bubble's fake clock, instantly
		f(t)
	})
}

func TestExpressSessionVectors(t *testing.T) {
	v := load(t, vectors.LoadSession)
	if len(v.Scenarios) == 0 {
		t.Fatal("express-session.json: no scenarios read")
	}
	lines := 0
	for _, sc := range v.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			codec, err := express.NewCodec(sc.SessionOptions.Secret)
			if err != nil {
				t.Fatal(err)
			}
			oc := sc.SessionOptions.Cookie
			for _, st := range sc.Steps {
				secure := strings.HasPrefix(st.Request.Headers["X-Forwarded-Proto"], "https")
				opts := express.CookieOptions{
					Name: sc.SessionOptions.Name, Domain: oc.Domain, Path: oc.Path,
					NoHTTPOnly: oc.HTTPOnly != nil && !*oc.HTTPOnly, Partitioned: oc.Partitioned,
					Priority: oc.Priority,
				}
				if oc.MaxAge != nil {
					opts.MaxAge = time.Duration(*oc.MaxAge) * time.Millisecond
				}
				switch s := oc.Secure.(type) {
				case bool:
					opts.Secure = s
				case string: // "auto": the request's scheme, resolved when the session is made
					opts.Secure = secure
				}
				switch s := oc.SameSite.(type) {
				case bool:
					if s {
						opts.SameSite = "true"
					}
				case string:
					opts.SameSite = s
					if s == "auto" {
						opts.SameSite = map[bool]string{true: "none", false: "lax"}[secure]
					}
				}
				for _, d := range st.Decoded {
					lines++
					if d.SessionID == "" { // res.clearCookie(name)
						ck, err := express.ClearCookie(express.CookieOptions{Name: d.Name})
						if err != nil {
							t.Fatal(err)
						}
						got, _, err := cookie.AppendSetCookie(nil, &ck, "")
						if err != nil || string(got) != d.Line {
							t.Fatalf("%s: clear: got %s (%v)\nwant %s", st.Label, got, err, d.Line)
						}
						continue
					}
					id, key, ok := codec.DecodeKey(d.RawValue)
					if !ok || id != d.SessionID || key != *d.SignedWithSecretIndex {
						t.Fatalf("%s: Decode(%q): got (%q, %d, %v), want (%q, %d, true)", st.Label, d.RawValue, id, key, ok, d.SessionID, *d.SignedWithSecretIndex)
					}
					if enc := codec.Encode(d.SessionID); enc != d.RawValue {
						t.Fatalf("%s: Encode: got %s, want %s", st.Label, enc, d.RawValue)
					}
					at(t, st.Clock, func(t *testing.T) {
						ck, err := codec.Cookie(d.SessionID, opts, time.Now())
						if err != nil {
							t.Fatal(err)
						}
						got, warns, err := cookie.AppendSetCookie(nil, &ck, "")
						if err != nil || warns != nil {
							t.Fatalf("%s: got (%v, %v), want no problem", st.Label, warns, err)
						}
						if string(got) != d.Line {
							t.Fatalf("%s:\ngot  %s\nwant %s", st.Label, got, d.Line)
						}
					})
				}
				checkRequest(t, codec, sc.SessionOptions.Name, st.Label, st.Request.Path, st.Request.Headers["Cookie"], st.Response.Body)
			}
		})
	}
	if lines < 20 {
		t.Fatalf("checked %d Set-Cookie lines, want every one of the file's (over 20)", lines)
	}
}

// checkRequest: when the server kept the session ID the cookie carried, Get finds
// it; when it made a new one for a cookie it refused, Get refuses it too (a
// regenerate, or an ID unknown to the store, also gives a new ID to a good cookie).
func checkRequest(t *testing.T, codec *express.Codec, name, label, path, header string, body *vectors.Body) {
	t.Helper()
	if header == "" || body == nil || body.SessionID == nil || *body.SessionID == "" {
		return
	}
	want := *body.SessionID
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", header)
	id, ok := codec.Get(r, name)
	adopted := strings.Contains(header, want)
	switch {
	case adopted && (!ok || id != want):
		t.Fatalf("%s: Get: got (%q, %v), want (%q, true)", label, id, ok, want)
	case !adopted && ok && path != "/regenerate" && !strings.Contains(label, "store does not know"):
		t.Fatalf("%s: Get: got (%q, true), want a refusal", label, id)
	}
}

func TestLiveRotationVectors(t *testing.T) {
	v := load(t, vectors.LoadSignature)
	if len(v.Rotation.Live.Steps) == 0 {
		t.Fatal("cookie-signature.json: no live rotation steps read")
	}
	for i, st := range v.Rotation.Live.Steps {
		t.Run(st.Step, func(t *testing.T) {
			codec, err := express.NewCodec(st.Secrets)
			if err != nil {
				t.Fatal(err)
			}
			if st.RequestCookie != nil {
				_, raw, _ := strings.Cut(*st.RequestCookie, "=")
				id, key, ok := codec.DecodeKey(raw)
				if adopted := id == st.SessionID; ok != adopted {
					t.Fatalf("got (%q, %d, %v), want the server's verdict (adopted: %v)", id, key, ok, adopted)
				}
				if ok && key != i { // step i sends a cookie signed with secrets[i]
					t.Fatalf("got secret %d, want %d", key, i)
				}
			}
			for _, line := range st.SetCookie {
				want := strings.SplitN(strings.SplitN(line, ";", 2)[0], "=", 2)[1]
				if got := codec.Encode(st.SessionID); got != want {
					t.Fatalf("re-issued cookie: got %s, want %s", got, want)
				}
			}
		})
	}
}

func TestNewID(t *testing.T) {
	shape := regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`)
	seen := map[string]bool{}
	for range 100 {
		id := express.NewID()
		if !shape.MatchString(id) || len(id) != express.IDLen {
			t.Fatalf("got %q, want 32 characters of [A-Za-z0-9_-]", id)
		}
		if seen[id] {
			t.Fatalf("got %q twice", id)
		}
		seen[id] = true
	}
	codec, _ := express.NewCodec([]string{"s"})
	id := express.NewID()
	if !strings.HasPrefix(codec.Encode(id), "s%3A"+id+".") {
		t.Fatalf("Encode(%q) = %q, want the ID left unencoded after s%%3A", id, codec.Encode(id))
	}
}

func TestDecodeRefuses(t *testing.T) {
	codec, _ := express.NewCodec([]string{"sek-current", "sek-old"})
	good := codec.Encode("abc")
	tests := []struct{ name, raw string }{
		{"empty", ""},
		{"no s: prefix", strings.TrimPrefix(good, "s%3A")},
		{"unsigned", "s%3Aabc"},
		{"wrong secret", mustCodec(t, "other").Encode("abc")},
		{"tampered id", strings.Replace(good, "abc", "abd", 1)},
		{"malformed percent", good + "%"},
		{"padded", good + "%3D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if id, ok := codec.Decode(tt.raw); ok {
				t.Fatalf("Decode(%q): got (%q, true), want not ok", tt.raw, id)
			}
		})
	}
	for _, raw := range []string{good, `"` + good + `"`, strings.Replace(good, "%3A", ":", 1)} {
		if id, ok := codec.Decode(raw); !ok || id != "abc" {
			t.Fatalf("Decode(%q): got (%q, %v), want (abc, true)", raw, id, ok)
		}
	}
}

func mustCodec(t *testing.T, secrets ...string) *express.Codec {
	t.Helper()
	c, err := express.NewCodec(secrets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOptionsRefused(t *testing.T) {
	codec := mustCodec(t, "s")
	for _, o := range []express.CookieOptions{{SameSite: "sometimes"}, {Priority: "urgent"}} {
		if _, err := codec.Cookie("id", o, time.Now()); err == nil {
			t.Fatalf("Cookie(%+v): got no error, want one", o)
		}
		if _, err := express.ClearCookie(o); err == nil {
			t.Fatalf("ClearCookie(%+v): got no error, want one", o)
		}
	}
	if _, err := express.NewCodec(nil); err == nil {
		t.Fatal("NewCodec(nil): got no error, want SES030")
	}
}

func TestClearCookieKeepsScope(t *testing.T) {
	ck, err := express.ClearCookie(express.CookieOptions{Domain: ".example.com", Path: "/app", Secure: true, SameSite: "none", Partitioned: true, MaxAge: time.Hour, Priority: "high"})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := cookie.AppendSetCookie(nil, &ck, "")
	want := "connect.sid=; Domain=.example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; Partitioned; SameSite=None"
	if err != nil || string(got) != want {
		t.Fatalf("got %s (%v)\nwant %s", got, err, want)
	}
}

func BenchmarkDecode(b *testing.B) {
	codec, _ := express.NewCodec([]string{"sek-current", "sek-old"})
	raw := codec.Encode(express.NewID())
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := codec.Decode(raw); !ok {
			b.Fatal("refused")
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	codec, _ := express.NewCodec([]string{"sek-current"})
	id := express.NewID()
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		buf = codec.AppendEncode(buf[:0], id)
	}
}
