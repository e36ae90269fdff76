package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

const frontend = "http://localhost:5173"

// demoServer runs the demo's API built from args on a loopback port whose origin
// is passed as --public-origin, with --frontend-origin set to frontend.
func demoServer(t *testing.T, args ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	origin := "http://" + srv.Listener.Addr().String()
	args = append([]string{"--public-origin=" + origin, "--frontend-origin=" + frontend,
		"--data-dir=" + t.TempDir(), "--app-addr="}, args...)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	api, _, _, closeFn, err := main.DemoHandlers(context.Background(), args, logger)
	if err != nil {
		srv.Listener.Close()
		t.Fatalf("demo %v: %v", args, err)
	}
	srv.Config.Handler = api
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		closeFn()
	})
	return srv
}

// browser is an HTTP client with a cookie jar that sends what a page on frontend
// sends with credentials: 'include': Origin and Sec-Fetch-Site.
type browser struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
	origin string // "" plays a non-browser client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, srv: srv, client: &http.Client{Jar: jar}, origin: frontend}
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
}

func (b *browser) do(method, path string, body any) reply {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		js, _ := json.Marshal(body)
		rd = strings.NewReader(string(js))
	}
	req, err := http.NewRequest(method, b.srv.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.origin != "" {
		req.Header.Set("Origin", b.origin)
		req.Header.Set("Sec-Fetch-Site", "same-site")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	r := reply{status: res.StatusCode, header: res.Header}
	data, _ := io.ReadAll(res.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &r.body); err != nil {
			b.t.Fatalf("%s %s: body %q is not a JSON object: %v", method, path, data, err)
		}
	}
	return r
}

func (b *browser) want(method, path string, body any, status int) reply {
	b.t.Helper()
	r := b.do(method, path, body)
	if r.status != status {
		b.t.Fatalf("%s %s: got status %d, want %d (body %v, Sesame-Why %q)", method, path, r.status, status, r.body, r.header.Get("Sesame-Why"))
	}
	return r
}

func (b *browser) login(user, password string) {
	b.t.Helper()
	r := b.want("POST", "/api/login", map[string]any{"username": user, "password": password}, 200)
	if got := r.body["user"].(map[string]any)["name"]; got != user {
		b.t.Fatalf("login: got user %v, want %s", got, user)
	}
}

// stores lists every store kind the demo opens, each against the real thing.
// PostgreSQL gets a schema of its own, made fresh for the run, so the table the
// demo creates matches this version of pgstore.
func stores(t *testing.T) map[string]string {
	redisAddr := os.Getenv("SESAME_REDIS_ADDR")
	if redisAddr == "" {
		redisAddr = "127.0.0.1:6379"
	}
	pg := os.Getenv("SESAME_POSTGRES_URL")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	return map[string]string{
		"memory": "memory",
		"bolt":   "bolt:" + filepath.Join(t.TempDir(), "sessions.db"),
		// Database 9 keeps the demo's users apart from other tests' keys.
		"redis":    "redis://" + redisAddr + "/9",
		"postgres": freshSchema(t, pg, "sesame_demo_test"),
	}
}

// freshSchema drops and recreates schema and returns url with it as search_path.
func freshSchema(t *testing.T, url, schema string) string {
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v (start it: `make services`, or set SESAME_POSTGRES_URL)", url, err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+id+" CASCADE; CREATE SCHEMA "+id); err != nil {
		t.Fatalf("PostgreSQL schema %s: %v", schema, err)
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

func TestAPI(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := demoServer(t, "--store="+store)
			if r := newBrowser(t, srv).do("GET", "/readyz", nil); r.status != 200 {
				t.Fatalf("GET /readyz with store %s: got %d (%v), want 200: is the service running? `make services` starts Redis and PostgreSQL", name, r.status, r.body)
			}
			b := newBrowser(t, srv)

			r := b.want("GET", "/api/me", nil, 401)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("401 Content-Type: got %q, want application/problem+json", ct)
			}
			b.want("POST", "/api/login", map[string]any{"username": "alice", "password": "nope"}, 401)
			b.login("alice", "wonderland")

			r = b.want("GET", "/api/me", nil, 200)
			sess, _ := r.body["session"].(map[string]any)
			if sess["created"] == nil || sess["expires"] == nil {
				t.Errorf("GET /api/me session: got %v, want created and expires", sess)
			}

			b.want("PUT", "/api/prefs/theme", map[string]any{"value": "dark"}, 204)
			b.want("PUT", "/api/prefs/size", map[string]any{"value": 12}, 204)
			b.want("PUT", "/api/prefs/theme", map[string]any{"value": "light"}, 204)
			b.want("PUT", "/api/prefs/bad%20name", map[string]any{"value": 1}, 400)
			r = b.want("GET", "/api/prefs", nil, 200)
			prefs := r.body["prefs"].(map[string]any)
			if prefs["theme"] != "light" || prefs["size"] != float64(12) || len(prefs) != 2 {
				t.Errorf("prefs: got %v, want theme=light size=12", prefs)
			}

			r = b.want("GET", "/api/sessions", nil, 200)
			list := r.body["sessions"].([]any)
			if len(list) != 1 {
				t.Fatalf("sessions: got %d, want 1: %v", len(list), list)
			}
			s0 := list[0].(map[string]any)
			if s0["current"] != true || s0["clientIP"] != "127.0.0.1" || s0["userAgent"] == "" {
				t.Errorf("session: got %v, want current, clientIP 127.0.0.1 and a user agent", s0)
			}

			b.want("POST", "/api/logout", nil, 204)
			b.want("GET", "/api/me", nil, 401)
		})
	}
}

func TestConcurrentPrefsSurvive(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			srv := demoServer(t, "--store="+store)
			b := newBrowser(t, srv)
			b.login("bob", "builder")
			const n = 24
			var wg sync.WaitGroup
			statuses := make([]int, n)
			for i := range n {
				wg.Go(func() {
					statuses[i] = b.do("PUT", fmt.Sprintf("/api/prefs/p%d", i), map[string]any{"value": i}).status
				})
			}
			wg.Wait()
			prefs := b.want("GET", "/api/prefs", nil, 200).body["prefs"].(map[string]any)
			for i := range n {
				if statuses[i] != 204 {
					t.Errorf("PUT p%d: got %d, want 204", i, statuses[i])
				}
				if got := prefs[fmt.Sprintf("p%d", i)]; got != float64(i) {
					t.Errorf("prefs.p%d: got %v, want %d", i, got, i)
				}
			}
		})
	}
}

func TestSignOutOthersAndEverywhere(t *testing.T) {
	srv := demoServer(t, "--store=memory")
	one, two, three := newBrowser(t, srv), newBrowser(t, srv), newBrowser(t, srv)
	for _, b := range []*browser{one, two, three} {
		b.login("alice", "wonderland")
	}
	other := newBrowser(t, srv)
	other.login("bob", "builder")

	if got := len(one.want("GET", "/api/sessions", nil, 200).body["sessions"].([]any)); got != 3 {
		t.Fatalf("alice's sessions: got %d, want 3", got)
	}
	one.want("DELETE", "/api/sessions/others", nil, 204)
	one.want("GET", "/api/me", nil, 200)
	two.want("GET", "/api/me", nil, 401)
	three.want("GET", "/api/me", nil, 401)

	three.login("alice", "wonderland")
	three.want("DELETE", "/api/sessions", nil, 204)
	one.want("GET", "/api/me", nil, 401)
	three.want("GET", "/api/me", nil, 401)
	other.want("GET", "/api/me", nil, 200) // bob is not alice
}

// Every state-changing route refuses a write from a browser on another origin,
// login and logout included (OWASP CSRF Prevention Cheat Sheet: verify the origin
// with standard headers); a client that sends neither Origin nor Sec-Fetch-Site
// is not a browser and passes.
func TestCrossOriginWritesRefused(t *testing.T) {
	srv := demoServer(t, "--store=memory")
	routes := []struct{ method, path, body string }{
		{"POST", "/api/login", `{"username":"alice","password":"wonderland"}`},
		{"POST", "/api/logout", ""},
		{"PUT", "/api/prefs/theme", `{"value":"dark"}`},
		{"DELETE", "/api/sessions/others", ""},
		{"DELETE", "/api/sessions", ""},
	}
	callers := []struct {
		name, origin, fetchSite string
		refused                 bool
	}{
		{"front end", frontend, "same-site", false},
		{"other origin", "https://evil.example", "cross-site", true},
		{"other origin, no Sec-Fetch-Site", "https://evil.example", "", true},
		{"Sec-Fetch-Site alone, cross-site", "", "cross-site", true},
		{"non-browser client", "", "", false},
	}
	for _, rt := range routes {
		for _, c := range callers {
			t.Run(rt.method+" "+rt.path+" from "+c.name, func(t *testing.T) {
				req, _ := http.NewRequest(rt.method, srv.URL+rt.path, strings.NewReader(rt.body))
				req.Header.Set("Content-Type", "application/json")
				if c.origin != "" {
					req.Header.Set("Origin", c.origin)
				}
				if c.fetchSite != "" {
					req.Header.Set("Sec-Fetch-Site", c.fetchSite)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if got := res.StatusCode == http.StatusForbidden; got != c.refused {
					t.Errorf("%s %s from %q (%q): got %d, want refused=%v", rt.method, rt.path, c.origin, c.fetchSite, res.StatusCode, c.refused)
				}
				if c.refused && len(res.Cookies()) > 0 {
					t.Errorf("a refused write set cookies: %v", res.Cookies())
				}
			})
		}
	}
}

// The session list shows the client address the trusted-proxy stage resolved:
// X-Forwarded-For is believed only from a proxy --trust-proxy names.
func TestClientIPFollowsTrustProxy(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		want  string
	}{
		{"nothing trusted", nil, "127.0.0.1"},
		{"loopback trusted", []string{"--trust-proxy=loopback"}, "203.0.113.7"},
		{"one hop", []string{"--trust-proxy=1"}, "203.0.113.7"},
		{"another range trusted", []string{"--trust-proxy=10.0.0.0/8"}, "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := demoServer(t, append([]string{"--store=memory"}, tt.flags...)...)
			jar, _ := cookiejar.New(nil)
			client := &http.Client{Jar: jar}
			send := func(method, path, body string) *http.Response {
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", "203.0.113.7")
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			send("POST", "/api/login", `{"username":"alice","password":"wonderland"}`).Body.Close()
			res := send("GET", "/api/sessions", "")
			defer res.Body.Close()
			var out struct{ Sessions []struct{ ClientIP string } }
			if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Sessions) != 1 {
				t.Fatalf("GET /api/sessions: %v, %+v", err, out)
			}
			if got := out.Sessions[0].ClientIP; got != tt.want {
				t.Errorf("client IP: got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	srv := demoServer(t, "--store=memory", "--dev")
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/api/prefs/theme", nil)
	req.Header.Set("Origin", frontend)
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	h := res.Header
	for _, c := range []struct{ name, want string }{
		{"Access-Control-Allow-Origin", frontend},
		{"Access-Control-Allow-Credentials", "true"},
	} {
		if got := h.Get(c.name); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if got := strings.ToLower(h.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "content-type") || strings.Contains(got, "*") {
		t.Errorf("Access-Control-Allow-Headers: got %q, want content-type by name, no *", got)
	}
	if got := h.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "PUT") {
		t.Errorf("Access-Control-Allow-Methods: got %q, want PUT listed", got)
	}
	if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Errorf("Vary: got %q, want Origin", h.Values("Vary"))
	}

	// A credentialed GET: the exact origin echoed, and the dev header exposed.
	r := newBrowser(t, srv).want("GET", "/api/me", nil, 401)
	if got := r.header.Get("Access-Control-Allow-Origin"); got != frontend {
		t.Errorf("GET ACAO: got %q, want %q", got, frontend)
	}
	if got := r.header.Get("Sesame-Why"); got == "" {
		t.Errorf("Sesame-Why: got none, want the reason in --dev")
	}
	if got := strings.ToLower(r.header.Get("Access-Control-Expose-Headers")); !strings.Contains(got, "sesame-why") {
		t.Errorf("Access-Control-Expose-Headers: got %q, want Sesame-Why", got)
	}
	if detail, _ := r.body["detail"].(string); !strings.Contains(detail, "SES009") {
		t.Errorf("401 detail in --dev: got %q, want the no-cookie explanation (SES009)", detail)
	}
}

func TestNoDiagnosticsWithoutDev(t *testing.T) {
	srv := demoServer(t, "--store=memory")
	r := newBrowser(t, srv).want("GET", "/api/me", nil, 401)
	if got := r.header.Get("Sesame-Why"); got != "" {
		t.Errorf("Sesame-Why without --dev: got %q, want none", got)
	}
	if detail, _ := r.body["detail"].(string); strings.Contains(detail, "SES") {
		t.Errorf("detail without --dev: got %q, want no diagnostics", detail)
	}
}

func TestHealthAndNotFound(t *testing.T) {
	srv := demoServer(t, "--store=memory")
	b := newBrowser(t, srv)
	b.want("GET", "/healthz", nil, 200)
	b.want("GET", "/readyz", nil, 200)
	b.want("GET", "/nothing", nil, 404)
}

func TestRememberMe(t *testing.T) {
	srv := demoServer(t, "--store=memory", "--idle-timeout=10m", "--absolute-timeout=1h")
	tests := []struct {
		remember bool
		min, max float64 // seconds from now until the session expires
	}{
		{false, 9 * 60, 10 * 60},
		{true, 29 * 24 * 3600, 30 * 24 * 3600},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("remember=", tt.remember), func(t *testing.T) {
			b := newBrowser(t, srv)
			r := b.want("POST", "/api/login", map[string]any{"username": "alice", "password": "wonderland", "remember": tt.remember}, 200)
			var maxAge int
			for _, c := range (&http.Response{Header: r.header}).Cookies() {
				maxAge = max(maxAge, c.MaxAge)
				if c.MaxAge == 0 && !c.Expires.IsZero() {
					maxAge = max(maxAge, int(time.Until(c.Expires).Seconds()))
				}
			}
			if float64(maxAge) < tt.min || float64(maxAge) > tt.max+1 {
				t.Errorf("cookie lifetime: got %ds, want between %.0fs and %.0fs", maxAge, tt.min, tt.max)
			}
		})
	}
}
