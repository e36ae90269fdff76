package connectredis_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// appDir is the Express app, from this package's directory.
const appDir = "../../../compat/express/testdata/app"

var liveSecrets = []string{"express-and-go-share-this", "an-older-secret"}

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startRedis starts a private redis-server on a free loopback port, stopped by
// PID when the test ends.
func startRedis(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not on PATH: apt-get install redis-server")
	}
	port := freePort(t)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	t.Cleanup(func() { stopPID(cmd) })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	for range 100 {
		if c.Ping(context.Background()).Err() == nil {
			return addr
		}
		time.Sleep(50 * time.Millisecond) // waiting for the server to start, not an assertion
	}
	t.Fatalf("redis-server on %s did not answer", addr)
	return ""
}

// stopPID stops a process this test started: SIGTERM, then SIGKILL after 5s.
func stopPID(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// startExpress runs the Express app (node server.js) against redisAddr and
// returns its base URL.
func startExpress(t *testing.T, redisAddr string, maxAge time.Duration) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(appDir, "node_modules", "connect-redis")); err != nil {
		t.Fatal("the Express app's packages are not installed: run `npm ci --prefix compat/express/testdata/app` from the repository root (make node-deps does)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not on PATH: apt-get install nodejs npm")
	}
	cmd := exec.Command("node", "server.js")
	cmd.Dir = appDir
	cmd.Env = append(os.Environ(), "PORT=0", "REDIS_URL=redis://"+redisAddr, "SESSION_SECRETS="+strings.Join(liveSecrets, "\n"))
	if maxAge > 0 {
		cmd.Env = append(cmd.Env, "MAX_AGE_MS="+strconv.FormatInt(maxAge.Milliseconds(), 10))
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("node server.js: %v", err)
	}
	t.Cleanup(func() { stopPID(cmd) })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	select {
	case line := <-lines:
		port, ok := strings.CutPrefix(line, "listening ")
		if !ok {
			t.Fatalf("node server.js said %q, want \"listening <port>\"", line)
		}
		return "http://127.0.0.1:" + port
	case <-time.After(20 * time.Second):
		t.Fatal("node server.js did not start listening within 20s")
	}
	return ""
}

// goApp is the Go half: the same routes as the Express app, on a Manager in
// express-compatible mode.
func goApp(t *testing.T, redisAddr string, cookie express.CookieOptions) (*httptest.Server, *redis.Client) {
	t.Helper()
	client := newClient(t, redisAddr)
	store, err := connectredis.New(connectredis.Config{Client: client, Cookie: cookie})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := express.SessionConfig(store, express.Options{Secrets: liveSecrets, Cookie: cookie})
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /go/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Regenerate(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		s.SetUser(r.URL.Query().Get("user"))
		writeJSON(w, map[string]any{"user": s.User()})
	})
	mux.HandleFunc("GET /go/me", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		data := map[string]any{}
		for _, k := range s.Keys() {
			data[k], _ = session.Get[any](s, k)
		}
		var user any
		if u := s.User(); u != "" {
			user = u
		}
		writeJSON(w, map[string]any{"user": user, "data": data})
	})
	mux.HandleFunc("POST /go/set", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if err := session.Set(session.From(r.Context()), q.Get("k"), q.Get("v")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]any{"ok": true})
	})
	mux.HandleFunc("POST /go/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.From(r.Context()).Destroy(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"ok": true})
	})
	srv := httptest.NewServer(m.Handler(mux))
	t.Cleanup(srv.Close)
	return srv, client
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

type me struct {
	User *string
	Data map[string]any
}

// browser is one user agent: a cookie jar shared by both servers (cookies do
// not depend on the port, RFC 6265bis §8.5).
type browser struct {
	t *testing.T
	c *http.Client
}

func (b *browser) do(method, url string) (*http.Response, me) {
	b.t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("%s %s: status %d, want 200", method, url, resp.StatusCode)
	}
	var m me
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		b.t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp, m
}

func (b *browser) user(url string) string {
	b.t.Helper()
	_, m := b.do("GET", url)
	if m.User == nil {
		return ""
	}
	return *m.User
}

// sessionKey returns the Redis key of the browser's session.
func sessionKey(t *testing.T, jar http.CookieJar, base string) string {
	t.Helper()
	u, _ := http.NewRequest("GET", base, nil)
	for _, c := range jar.Cookies(u.URL) {
		if c.Name == express.DefaultName {
			f, _ := express.NewFormat(liveSecrets)
			id, why := f.Decode(c.Value)
			if why != session.Found {
				t.Fatalf("the browser's connect.sid %q: %v", c.Value, why)
			}
			return express.DefaultPrefix + id
		}
	}
	t.Fatal("the browser holds no connect.sid")
	return ""
}

// TestLiveExpress runs a real Express app (express-session + connect-redis) and
// a Go Manager in express-compatible mode on one private Redis, and a browser
// that goes back and forth between them.
func TestLiveExpress(t *testing.T) {
	redisAddr := startRedis(t)
	const maxAge = time.Hour
	ex := startExpress(t, redisAddr, maxAge)
	goSrv, rdb := goApp(t, redisAddr, express.CookieOptions{MaxAge: maxAge})
	gs := goSrv.URL
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, c: &http.Client{Jar: jar}}
	ctx := t.Context()

	t.Run("sign in on Express, Go sees the user", func(t *testing.T) {
		b.t = t
		b.do("POST", ex+"/express/login?user=alice")
		if got := b.user(gs + "/go/me"); got != "alice" {
			t.Fatalf("Go /me: got user %q, want alice", got)
		}
	})
	t.Run("Go writes a key, Express reads it", func(t *testing.T) {
		b.t = t
		b.do("POST", gs+"/go/set?k=color&v=blue")
		_, m := b.do("GET", ex+"/express/me")
		if m.Data["color"] != "blue" || m.User == nil || *m.User != "alice" {
			t.Fatalf("Express /me: got user %v, data %v; want alice with color blue", m.User, m.Data)
		}
		b.do("POST", ex+"/express/set?k=lang&v=fr")
		_, m = b.do("GET", gs+"/go/me")
		if m.Data["color"] != "blue" || m.Data["lang"] != "fr" {
			t.Fatalf("Go /me: got data %v, want color blue and lang fr", m.Data)
		}
	})
	t.Run("TTL and cookie expiry stay consistent after a Go touch", func(t *testing.T) {
		b.t = t
		key := sessionKey(t, jar, gs)
		// Ten minutes pass on the Redis side (the vectors do the same).
		rdb.Expire(ctx, key, maxAge-10*time.Minute)
		before := rdb.Get(ctx, key).Val()
		resp, m := b.do("GET", gs+"/go/me")
		if m.User == nil || *m.User != "alice" {
			t.Fatalf("Go /me: got %v, want alice", m.User)
		}
		ttl := rdb.TTL(ctx, key).Val()
		if ttl < maxAge-2*time.Second || ttl > maxAge {
			t.Fatalf("TTL after the Go touch: got %v, want %v (connect-redis's touch: EXPIRE ceil(maxAge/1000))", ttl, maxAge)
		}
		if after := rdb.Get(ctx, key).Val(); after != before {
			t.Fatalf("the touch rewrote the record:\nbefore %s\nafter  %s\nwant EXPIRE only, as connect-redis", before, after)
		}
		var expires time.Time
		for _, c := range resp.Cookies() {
			if c.Name == express.DefaultName {
				expires = c.Expires
			}
		}
		if d := time.Until(expires) - ttl; d < -3*time.Second || d > 3*time.Second {
			t.Fatalf("Go's cookie expires in %v, Redis keeps the session %v: want the same", time.Until(expires), ttl)
		}
		// Express reads the touched session and, on its own next write, puts
		// the cookie object and the TTL back in step.
		b.do("POST", ex+"/express/set?k=n&v=1")
		var rec struct {
			Cookie struct {
				OriginalMaxAge int64
				Expires        time.Time
			}
		}
		if err := json.Unmarshal([]byte(rdb.Get(ctx, key).Val()), &rec); err != nil {
			t.Fatal(err)
		}
		ttl = rdb.TTL(ctx, key).Val()
		// express-session's Cookie sets expires = now + maxAge, then reads
		// originalMaxAge back as expires - now: a millisecond can pass in
		// between, so 3599999 is Express's own answer now and then.
		if d := maxAge.Milliseconds() - rec.Cookie.OriginalMaxAge; d < 0 || d > 1 || time.Until(rec.Cookie.Expires)-ttl > 3*time.Second || ttl-time.Until(rec.Cookie.Expires) > 3*time.Second {
			t.Fatalf("after Express's write: cookie %+v, TTL %v; want originalMaxAge %d and expires = now + TTL", rec.Cookie, ttl, maxAge.Milliseconds())
		}
	})
	t.Run("sign out on Go ends the session on both", func(t *testing.T) {
		b.t = t
		key := sessionKey(t, jar, gs)
		b.do("POST", gs+"/go/logout")
		if n := rdb.Exists(ctx, key).Val(); n != 0 {
			t.Fatalf("EXISTS %s after Go's logout: got %d, want 0", key, n)
		}
		if got := b.user(ex + "/express/me"); got != "" {
			t.Fatalf("Express /me after Go's logout: got user %q, want none", got)
		}
	})
	t.Run("sign in on Go, Express sees the user, in connect-redis's bytes", func(t *testing.T) {
		b.t = t
		b.do("POST", gs+"/go/login?user=bob")
		if got := b.user(ex + "/express/me"); got != "bob" {
			t.Fatalf("Express /me: got user %q, want bob", got)
		}
		key := sessionKey(t, jar, gs)
		shape := regexp.MustCompile(`^\{"cookie":\{"originalMaxAge":3600000,"expires":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","httpOnly":true,"path":"/"\},"passport":\{"user":"bob"\}\}$`)
		if v := rdb.Get(ctx, key).Val(); !shape.MatchString(v) {
			t.Fatalf("record Go wrote: got %s, want what express-session + passport write", v)
		}
	})
	t.Run("rotate on Go (Move), Express reads the session under the new ID only", func(t *testing.T) {
		b.t = t
		b.do("POST", ex+"/express/set?k=lang&v=de")
		oldKey := sessionKey(t, jar, gs)
		oldCookie := jar.Cookies(mustURL(t, gs))
		b.do("POST", gs+"/go/login?user=dora")
		newKey := sessionKey(t, jar, gs)
		if newKey == oldKey {
			t.Fatal("the session ID did not change on Regenerate")
		}
		_, m := b.do("GET", ex+"/express/me")
		if m.User == nil || *m.User != "dora" || m.Data["lang"] != "de" {
			t.Fatalf("Express /me under the new ID: got user %v, data %v; want dora with lang de (carried over by the move)", m.User, m.Data)
		}
		if n := rdb.Exists(ctx, oldKey).Val(); n != 0 {
			t.Fatalf("EXISTS %s (the old ID) after the move: got %d, want 0", oldKey, n)
		}
		// The forwarding mark is not under Express's prefix: connect-redis's
		// all() and length() see only the one session.
		keys := rdb.Keys(ctx, express.DefaultPrefix+"*").Val()
		if len(keys) != 1 || keys[0] != newKey {
			t.Fatalf("keys under %s: got %v, want only %s", express.DefaultPrefix, keys, newKey)
		}
		// A browser still holding the old cookie is not signed in on Express.
		oldJar, _ := cookiejar.New(nil)
		oldJar.SetCookies(mustURL(t, ex), oldCookie)
		thief := &browser{t: t, c: &http.Client{Jar: oldJar}}
		if got := thief.user(ex + "/express/me"); got != "" {
			t.Fatalf("Express /me with the old cookie: got user %q, want none", got)
		}
	})
	t.Run("sign out on Express ends the session on both", func(t *testing.T) {
		b.t = t
		key := sessionKey(t, jar, gs)
		b.do("POST", ex+"/express/logout")
		if n := rdb.Exists(ctx, key).Val(); n != 0 {
			t.Fatalf("EXISTS after Express's logout: got %d, want 0", n)
		}
		if got := b.user(gs + "/go/me"); got != "" {
			t.Fatalf("Go /me after Express's logout: got user %q, want none", got)
		}
	})
}

// TestLiveExpressBrowserSession: an Express app without cookie.maxAge (its
// default). Sessions are browser-session cookies whose Redis TTL is
// connect-redis's ttl, 86400 s, renewed on every request; the Go side keeps it so.
func TestLiveExpressBrowserSession(t *testing.T) {
	redisAddr := startRedis(t)
	ex := startExpress(t, redisAddr, 0)
	goSrv, rdb := goApp(t, redisAddr, express.CookieOptions{})
	gs := goSrv.URL
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, c: &http.Client{Jar: jar}}
	ctx := t.Context()

	resp, _ := b.do("POST", gs+"/go/login?user=carol")
	for _, c := range resp.Cookies() {
		if c.Name == express.DefaultName && (!c.Expires.IsZero() || c.MaxAge != 0) {
			t.Fatalf("Go's cookie: got Expires %v, Max-Age %d; want a browser-session cookie, as Express's", c.Expires, c.MaxAge)
		}
	}
	key := sessionKey(t, jar, gs)
	const want = `{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"passport":{"user":"carol"}}`
	if got := rdb.Get(ctx, key).Val(); got != want {
		t.Fatalf("record Go wrote:\ngot  %s\nwant %s", got, want)
	}
	if got := b.user(ex + "/express/me"); got != "carol" {
		t.Fatalf("Express /me: got user %q, want carol", got)
	}
	// An hour passes on the Redis side; a Go request renews the TTL as
	// connect-redis's touch does, without rewriting the record.
	rdb.Expire(ctx, key, express.DefaultTTL-time.Hour)
	if got := b.user(gs + "/go/me"); got != "carol" {
		t.Fatalf("Go /me: got user %q, want carol", got)
	}
	if ttl := rdb.TTL(ctx, key).Val(); ttl < express.DefaultTTL-2*time.Second {
		t.Fatalf("TTL after the Go touch: got %v, want %v", ttl, express.DefaultTTL)
	}
	if got := rdb.Get(ctx, key).Val(); got != want {
		t.Fatalf("record after the touch:\ngot  %s\nwant %s", got, want)
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
