package csrf_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/problem"
)

func rules(err error) string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var p *problem.Problem
		if errors.As(e, &p) {
			out = append(out, string(p.Rule))
		}
	}
	if err != nil {
		walk(err)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestNew(t *testing.T) {
	anyList, err := cors.New(cors.Config{Origins: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  csrf.Config
		want string
	}{
		{"zero", csrf.Config{}, ""},
		{"exact and pattern", csrf.Config{TrustedOrigins: []string{"https://app.example.com", "https://*.example.org", "http://localhost:*"}}, ""},
		{"star", csrf.Config{TrustedOrigins: []string{"*"}}, "SES023"},
		{"null", csrf.Config{TrustedOrigins: []string{"null"}}, "SES024"},
		{"malformed", csrf.Config{TrustedOrigins: []string{"https://app.example.com/"}}, "SES015"},
		{"http", csrf.Config{TrustedOrigins: []string{"http://app.example.com"}}, "SES025"},
		{"http dangerous", csrf.Config{TrustedOrigins: []string{"http://app.example.com"}, DangerouslyAllowInsecureOrigins: true}, ""},
		{"public suffix", csrf.Config{TrustedOrigins: []string{"https://*.github.io"}}, "SES026"},
		{"any allowlist", csrf.Config{Allowlist: anyList.Origins()}, "SES023"},
		{"joined", csrf.Config{TrustedOrigins: []string{"*", "null", "https://*.com"}}, "SES023,SES024,SES026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := csrf.New(tt.cfg)
			if got := rules(err); got != tt.want {
				t.Fatalf("got %q (%v), want %q", got, err, tt.want)
			}
			if (c == nil) != (tt.want != "") {
				t.Fatalf("got %v with err %v, want nil exactly when invalid", c, err)
			}
		})
	}
}

type req struct {
	method, host, origin, site string
}

func (q req) build() *http.Request {
	host := q.host
	if host == "" {
		host = "api.example.com"
	}
	r := httptest.NewRequest(q.method, "https://"+host+"/things", strings.NewReader("x=1"))
	if q.origin != "" {
		r.Header.Set("Origin", q.origin)
	}
	if q.site != "" {
		r.Header.Set("Sec-Fetch-Site", q.site)
	}
	return r
}

func TestCheck(t *testing.T) {
	front, err := cors.New(cors.Config{Origins: []string{"https://app.example.com", "https://*.preview.example.com", "http://localhost:5173"}, Credentials: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := csrf.New(csrf.Config{
		TrustedOrigins: []string{"https://admin.example.net"},
		Allowlist:      front.Origins(),
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  req
		want string // rule id, "" for allowed
	}{
		// Attacks.
		{"cross-site form post", req{"POST", "", "https://evil.test", "cross-site"}, "SES035"},
		{"cross-site delete", req{"DELETE", "", "https://evil.test", "cross-site"}, "SES035"},
		{"cross-site old browser", req{"POST", "", "https://evil.test", ""}, "SES035"},
		{"null origin", req{"POST", "", "null", "cross-site"}, "SES035"},
		{"null origin old browser", req{"POST", "", "null", ""}, "SES035"},
		{"suffix lookalike", req{"POST", "", "https://evilapp.example.com", "same-site"}, "SES017"},
		{"prefix lookalike", req{"POST", "", "https://app.example.com.evil.test", "cross-site"}, "SES035"},
		{"scheme swap", req{"POST", "", "http://app.example.com", "same-site"}, "SES032"},
		{"pattern apex", req{"POST", "", "https://preview.example.com", "same-site"}, "SES017"},
		{"upper case", req{"POST", "", "https://APP.example.com", "same-site"}, "SES017"},
		{"sibling port", req{"PATCH", "", "https://api.example.com:8443", "same-site"}, "SES017"},

		// Legitimate.
		{"same-origin", req{"POST", "", "https://api.example.com", "same-origin"}, ""},
		{"same-origin old browser", req{"POST", "", "https://api.example.com", ""}, ""},
		{"navigation", req{"POST", "", "", "none"}, ""},
		{"trusted front end", req{"POST", "", "https://app.example.com", "same-site"}, ""},
		{"trusted cross-site front end", req{"PUT", "", "https://admin.example.net", "cross-site"}, ""},
		{"pattern front end", req{"DELETE", "", "https://pr-42.preview.example.com", "same-site"}, ""},
		{"deep pattern front end", req{"POST", "", "https://a.pr-42.preview.example.com", "same-site"}, ""},
		{"localhost dev", req{"POST", "localhost:8080", "http://localhost:5173", "same-site"}, ""},
		{"no browser headers", req{"POST", "", "", ""}, ""},
		{"get cross-site", req{"GET", "", "https://evil.test", "cross-site"}, ""},
		{"head cross-site", req{"HEAD", "", "https://evil.test", "cross-site"}, ""},
		{"options cross-site", req{"OPTIONS", "", "https://evil.test", "cross-site"}, ""},

		// Own front end, not configured.
		{"unknown subdomain", req{"POST", "", "https://beta.example.com", "same-site"}, "SES017"},
		{"unknown dev port", req{"POST", "localhost:8080", "http://localhost:3000", "same-site"}, "SES017"},
		{"unknown subdomain old browser", req{"POST", "", "https://beta.example.com", ""}, "SES017"},
		{"unknown dev port old browser", req{"POST", "localhost:8080", "http://localhost:3000", ""}, "SES017"},
		// localhost and 127.0.0.1 are two sites (origin.SiteOf); the copy of
		// the rule csrf had made every loopback host one site.
		{"127.0.0.1 front end, localhost API", req{"POST", "localhost:8080", "http://127.0.0.1:3000", ""}, "SES035"},
		{"127.0.0.1 front end, 127.0.0.1 API", req{"POST", "127.0.0.1:8080", "http://127.0.0.1:3000", ""}, "SES017"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rules(c.Check(tt.req.build())); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHandler(t *testing.T) {
	var logs bytes.Buffer
	c, err := csrf.New(csrf.Config{TrustedOrigins: []string{"https://app.example.com"}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	h := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls++ }))

	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req{"POST", "", "https://beta.example.com", "same-site"}.build())
		if w.Code != 403 || calls != 0 {
			t.Fatalf("got %d and %d calls, want 403 and 0", w.Code, calls)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("got Content-Type %q, want application/problem+json", ct)
		}
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("got body %q: %v", w.Body.String(), err)
		}
		if body["rule"] != "SES017" || body["status"] != float64(403) || !strings.Contains(body["fix"].(string), `"https://beta.example.com"`) {
			t.Errorf("got body %v, want rule SES017, status 403 and a fix naming the origin", body)
		}
		if typ, _ := body["type"].(string); !strings.HasSuffix(typ, "#ses017") {
			t.Errorf("got type %q, want the rule's documentation link", typ)
		}
		if body["title"] != problem.CSRFUnknownFrontend.Title() {
			t.Errorf("got title %v, want the rule's title %q", body["title"], problem.CSRFUnknownFrontend.Title())
		}
	}
	if n := strings.Count(logs.String(), "rule=SES017"); n != 1 {
		t.Errorf("got %d log lines for one cause, want 1:\n%s", n, logs.String())
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req{"POST", "", "https://app.example.com", "same-site"}.build())
	if w.Code != 200 || calls != 1 {
		t.Errorf("got %d and %d calls, want 200 and 1", w.Code, calls)
	}
}

func TestDeny(t *testing.T) {
	var got error
	c, err := csrf.New(csrf.Config{
		Deny:   func(w http.ResponseWriter, r *http.Request, err error) { got = err; w.WriteHeader(http.StatusTeapot) },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	c.Handler(http.NotFoundHandler()).ServeHTTP(w, req{"POST", "", "https://evil.test", "cross-site"}.build())
	if w.Code != http.StatusTeapot || rules(got) != "SES035" {
		t.Errorf("got %d and %v, want 418 and an SES035 error", w.Code, got)
	}
}

func TestZeroValue(t *testing.T) {
	var c csrf.CSRF
	if err := c.Check(req{"POST", "", "https://evil.test", "cross-site"}.build()); err == nil {
		t.Errorf("got nil for a cross-site POST, want an error")
	}
	if err := c.Check(req{"POST", "", "https://api.example.com", "same-origin"}.build()); err != nil {
		t.Errorf("got %v for a same-origin POST, want nil", err)
	}
}

func BenchmarkCheck(b *testing.B) {
	c, err := csrf.New(csrf.Config{TrustedOrigins: []string{"https://app.example.com", "https://*.example.org"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []req{
		{"POST", "", "https://app.example.com", "same-site"},
		{"POST", "", "https://a.example.org", "cross-site"},
		{"POST", "", "https://api.example.com", "same-origin"},
		{"GET", "", "https://evil.test", "cross-site"},
	} {
		r := q.build()
		b.Run(q.method+" "+q.origin+" "+q.site, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.Check(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
