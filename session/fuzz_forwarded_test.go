package session_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// FuzzForwardedScheme: the scheme a forwarding header claims only chooses which
// diagnosis a Secure cookie over plain http gets (SES002 behind a TLS proxy that
// is not trusted, SES001 otherwise). Whatever X-Forwarded-Proto and Forwarded
// hold, the login still answers with its Secure cookie, and exactly one of the two
// rules is logged: SES002 when either header has an "https" element.
func FuzzForwardedScheme(f *testing.F) {
	for _, s := range [][2]string{
		{"https", ""}, {"http", ""}, {"HTTPS, http", ""}, {" https ", ""}, {"", "proto=https"},
		{"", `for=1.2.3.4;proto="https"`}, {"", "for=a, proto=http;host=x"}, {"", "proto"}, {"", "=;,"},
	} {
		f.Add(s[0], s[1])
	}
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		f.Fatal(err)
	}
	kr, err := cookie.NewKeyring([]byte("fuzz-forwarded-key-0123456789abcdef0123456789"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, xfp, fwd string) {
		var logs bytes.Buffer
		m, err := session.New(session.Config{
			Store: store, Keys: kr, Cookie: session.CookieConfig{Secure: session.SecureAlways},
			Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		})
		if err != nil {
			t.Fatal(err)
		}
		h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			session.From(r.Context()).SetUser("alice")
		}))
		r := httptest.NewRequest("POST", "http://api.example.com/login", nil)
		r.Header["X-Forwarded-Proto"] = []string{xfp}
		r.Header["Forwarded"] = []string{fwd}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if c := w.Header().Get("Set-Cookie"); !strings.Contains(c, "; Secure") {
			t.Fatalf("got Set-Cookie %q, want a Secure cookie", c)
		}
		want := `"rule":"SES001"`
		if hasHTTPS(xfp, ",") || hasHTTPS(fwd, ",;", "proto=") {
			want = `"rule":"SES002"`
		}
		if got := logs.String(); strings.Count(got, `"rule":`) != 1 || !strings.Contains(got, want) {
			t.Errorf("X-Forwarded-Proto %q, Forwarded %q: got log\n%s\nwant one line with %s", xfp, fwd, got, want)
		}
	})
}

// hasHTTPS: does a list split on seps hold the element "https" (after prefix,
// case-insensitive, quotes around the value allowed)?
func hasHTTPS(v, seps string, prefix ...string) bool {
	for _, e := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		e = strings.TrimSpace(e)
		if len(prefix) > 0 {
			if len(e) < len(prefix[0]) || !strings.EqualFold(e[:len(prefix[0])], prefix[0]) {
				continue
			}
			e = strings.Trim(e[len(prefix[0]):], `"`)
		}
		if strings.EqualFold(e, "https") {
			return true
		}
	}
	return false
}
