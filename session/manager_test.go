package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// keyring returns a keyring of n fresh keys; tests that rotate pass their own.
func keyring(t testing.TB, keys ...string) *cookie.Keyring {
	t.Helper()
	if len(keys) == 0 {
		keys = []string{"test-key-0123456789abcdef0123456789abcdef"}
	}
	bs := make([][]byte, len(keys))
	for i, k := range keys {
		bs[i] = []byte(k)
	}
	kr, err := cookie.NewKeyring(bs...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// counting wraps a real store and counts the calls the Manager makes.
type counting struct {
	session.Store
	loads, saves, patches, deletes, moves atomic.Int64
	fail                                  atomic.Pointer[error]
	failDelete                            atomic.Pointer[error] // fails Delete only
}

func (c *counting) err() error {
	if p := c.fail.Load(); p != nil {
		return *p
	}
	return nil
}

func (c *counting) Load(ctx context.Context, key string) (session.Record, bool, error) {
	c.loads.Add(1)
	if err := c.err(); err != nil {
		return session.Record{}, false, err
	}
	return c.Store.Load(ctx, key)
}

func (c *counting) Save(ctx context.Context, key string, rec session.Record) error {
	c.saves.Add(1)
	if err := c.err(); err != nil {
		return err
	}
	return c.Store.Save(ctx, key, rec)
}

func (c *counting) Delete(ctx context.Context, key string) error {
	c.deletes.Add(1)
	if err := c.err(); err != nil {
		return err
	}
	if p := c.failDelete.Load(); p != nil {
		return *p
	}
	return c.Store.Delete(ctx, key)
}

func (c *counting) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	c.patches.Add(1)
	if err := c.err(); err != nil {
		return false, err
	}
	return c.Store.(session.Patcher).Patch(ctx, key, p)
}

func (c *counting) UserSessions(ctx context.Context, user string) ([]session.Entry, error) {
	return c.Store.(session.UserIndex).UserSessions(ctx, user)
}

func (c *counting) Name() string { return "counting" }

// moving is counting with the store's Mover.
type moving struct{ *counting }

func (c *moving) Move(ctx context.Context, oldKey, newKey string, p session.Patch) (bool, error) {
	c.moves.Add(1)
	if err := c.err(); err != nil {
		return false, err
	}
	return c.Store.(session.Mover).Move(ctx, oldKey, newKey, p)
}

type fixture struct {
	t     testing.TB
	m     *session.Manager
	store *counting
	h     http.Handler
}

func newFixture(t testing.TB, cfg session.Config, h http.HandlerFunc) *fixture {
	t.Helper()
	store := &counting{Store: newMemStore(t)}
	cfg.Store = &moving{store}
	return newFixtureWith(t, cfg, store, h)
}

// newFixtureWithoutMover serves with a store that hides Mover: Regenerate takes
// the Save-then-Delete path.
func newFixtureWithoutMover(t testing.TB, cfg session.Config, h http.HandlerFunc) *fixture {
	t.Helper()
	store := &counting{Store: newMemStore(t)}
	cfg.Store = store
	return newFixtureWith(t, cfg, store, h)
}

func newFixtureWith(t testing.TB, cfg session.Config, store *counting, h http.HandlerFunc) *fixture {
	t.Helper()
	if cfg.Keys == nil {
		cfg.Keys = keyring(t)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	m, err := session.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, m: m, store: store, h: m.Handler(h)}
}

// do serves one request carrying cookie (name=value, or "").
func (f *fixture) do(method, path, cookie string) *http.Response {
	req := httptest.NewRequest(method, path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Result()
}

// sessionCookie returns the "name=value" of the session cookie a response set.
func sessionCookie(t testing.TB, resp *http.Response) string {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "sid" && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("no session cookie in %q", resp.Header.Values("Set-Cookie"))
	return ""
}

func body(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// app is a small handler: /set?k=&v= writes, /get?k= reads, /login regenerates,
// /logout destroys, /why reports the reason.
func app(w http.ResponseWriter, r *http.Request) {
	s := session.From(r.Context())
	q := r.URL.Query()
	switch r.URL.Path {
	case "/set":
		if err := session.Set(s, q.Get("k"), q.Get("v")); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
	case "/get":
		v, ok := session.Get[string](s, q.Get("k"))
		fmt.Fprintf(w, "%s %v", v, ok)
	case "/login":
		if err := s.Regenerate(); err != nil {
			return
		}
		s.SetUser(q.Get("user"))
		session.Set(s, "user", q.Get("user"))
	case "/logout":
		if err := s.Destroy(r.Context()); err != nil {
			http.Error(w, err.Error(), 500)
		}
	case "/why":
		fmt.Fprint(w, s.Why())
	case "/nothing":
		fmt.Fprint(w, "untouched")
	}
}

func TestConcurrentDisjointWritesAllSurvive(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/set?k=seed&v=1", ""))
	srv := httptest.NewServer(f.h)
	defer srv.Close()

	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/set?k=key%d&v=val%d", srv.URL, i, i), nil)
			req.Header.Set("Cookie", ck)
			resp, err := srv.Client().Do(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("request %d: status %d", i, resp.StatusCode)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range n {
		got := body(f.do("GET", fmt.Sprintf("/get?k=key%d", i), ck))
		if want := fmt.Sprintf("val%d true", i); got != want {
			t.Fatalf("key%d: got %q, want %q", i, got, want)
		}
	}
}

func TestRegenerateDefeatsFixation(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	planted := sessionCookie(t, f.do("GET", "/set?k=cart&v=3", ""))
	resp := f.do("GET", "/login?user=alice", planted)
	fresh := sessionCookie(t, resp)
	if fresh == planted {
		t.Fatalf("Regenerate kept the ID %q", planted)
	}
	if got, want := body(f.do("GET", "/get?k=cart", fresh)), "3 true"; got != want {
		t.Errorf("data after Regenerate: got %q, want %q", got, want)
	}
	if got, want := body(f.do("GET", "/why", planted)), "unknown-or-expired"; got != want {
		t.Errorf("old ID after Regenerate: got %q, want %q", got, want)
	}
	if got, want := body(f.do("GET", "/get?k=user", fresh)), "alice true"; got != want {
		t.Errorf("user: got %q, want %q", got, want)
	}
}

func TestDestroyThenReplayFindsNothing(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/login?user=alice", ""))
	resp := f.do("POST", "/logout", ck)
	var cleared bool
	for _, line := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, "sid=;") && strings.Contains(line, "Max-Age=0") && strings.Contains(line, "Path=/") {
			cleared = true
		}
	}
	if !cleared {
		t.Errorf("logout Set-Cookie %q does not clear sid", resp.Header.Values("Set-Cookie"))
	}
	if got, want := body(f.do("GET", "/get?k=user", ck)), " false"; got != want {
		t.Errorf("replayed cookie after Destroy: got %q, want %q", got, want)
	}
}

func TestLazyNoStoreCallWhenUntouched(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	loads := f.store.loads.Load()
	resp := f.do("GET", "/nothing", ck)
	if got := f.store.loads.Load() - loads; got != 0 {
		t.Errorf("store loads for an untouched session: got %d, want 0", got)
	}
	if v := resp.Header.Get("Set-Cookie"); v != "" {
		t.Errorf("untouched session set a cookie: %q", v)
	}
	f.do("GET", "/get?k=a", ck)
	if got := f.store.loads.Load() - loads; got != 1 {
		t.Errorf("store loads for one read: got %d, want 1", got)
	}
}

func TestNoSessionUntilFirstWrite(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	resp := f.do("GET", "/get?k=a", "")
	if v := resp.Header.Values("Set-Cookie"); len(v) != 0 {
		t.Errorf("a read created a session: Set-Cookie %q", v)
	}
	if got := f.store.saves.Load(); got != 0 {
		t.Errorf("saves: got %d, want 0", got)
	}
	if got := resp.Header.Get("Vary"); got != "Cookie" {
		t.Errorf("Vary: got %q, want Cookie", got)
	}
}

func TestCookieAttributesAndHeaders(t *testing.T) {
	f := newFixture(t, session.Config{Cookie: session.CookieConfig{
		Name: "__Host-sid", SameSite: cookie.SameSiteNone, Secure: session.SecureAlways, Partitioned: true, Priority: cookie.PriorityHigh,
	}}, app)
	resp := f.do("GET", "/set?k=a&v=1", "")
	line := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"__Host-sid=", "; Path=/", "; Expires=", "; HttpOnly", "; Secure", "; SameSite=None", "; Partitioned", "; Priority=High"} {
		if !strings.Contains(line, want) {
			t.Errorf("Set-Cookie %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "Domain=") {
		t.Errorf("Set-Cookie %q has a Domain", line)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", got)
	}
}

func TestSecureAuto(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	if line := f.do("GET", "/set?k=a&v=1", "").Header.Get("Set-Cookie"); strings.Contains(line, "Secure") {
		t.Errorf("plain HTTP got a Secure cookie: %q", line)
	}
	req := httptest.NewRequest("GET", "https://api.example.test/set?k=a&v=1", nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if line := rec.Header().Get("Set-Cookie"); !strings.Contains(line, "; Secure") {
		t.Errorf("HTTPS got no Secure cookie: %q", line)
	}
}

func TestTamperedAndMalformedCookies(t *testing.T) {
	f := newFixture(t, session.Config{Dev: true}, app)
	good := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	val := strings.TrimPrefix(good, "sid=")
	flip := []byte(val)
	if flip[3] == 'A' { // another base64url character: still well formed
		flip[3] = 'B'
	} else {
		flip[3] = 'A'
	}
	id, tag, _ := strings.Cut(val, ".")
	other := sessionCookie(t, newFixture(t, session.Config{Keys: keyring(t, "another-key-0123456789abcdef012345678")}, app).do("GET", "/set?k=a&v=1", ""))
	cases := []struct {
		name, cookie, want string
	}{
		{"none", "", "no-cookie"},
		{"other cookie", "theme=dark", "no-cookie"},
		{"empty", "sid=", "malformed-cookie"},
		{"garbage", "sid=%%%;", "malformed-cookie"},
		{"no tag", "sid=" + id, "malformed-cookie"},
		{"short tag", "sid=" + id + "." + tag[:10], "malformed-cookie"},
		{"flipped id", "sid=" + string(flip), "bad-signature"},
		{"flipped tag", "sid=" + id + "." + strings.Map(func(r rune) rune {
			if r == 'A' {
				return 'B'
			}
			return 'A'
		}, tag), "bad-signature"},
		{"other key", other, "bad-signature"},
		{"quoted", `sid="` + val + `"`, "found"},
		{"huge", "sid=" + strings.Repeat("a", 5000), "malformed-cookie"},
		{"valid", good, "found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := f.do("GET", "/why", c.cookie)
			if resp.StatusCode != 200 {
				t.Fatalf("status: got %d, want 200", resp.StatusCode)
			}
			if got := body(resp); got != c.want {
				t.Errorf("why: got %q, want %q", got, c.want)
			}
			if c.want != "found" {
				if got := resp.Header.Get("Sesame-Why"); got != c.want {
					t.Errorf("Sesame-Why: got %q, want %q", got, c.want)
				}
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	const oldKey, newKey = "old-key-0123456789abcdef0123456789abcdef", "new-key-0123456789abcdef0123456789abcdef"
	store := newMemStore(t)
	mk := func(keys ...string) http.Handler {
		m, err := session.New(session.Config{Store: store, Keys: keyring(t, keys...), Logger: slog.New(slog.DiscardHandler), Rolling: true})
		if err != nil {
			t.Fatal(err)
		}
		return m.Handler(http.HandlerFunc(app))
	}
	do := func(h http.Handler, path, ck string) *http.Response {
		req := httptest.NewRequest("GET", path, nil)
		if ck != "" {
			req.Header.Set("Cookie", ck)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	before := mk(oldKey)
	ck := sessionCookie(t, do(before, "/set?k=a&v=1", ""))
	rotated := mk(newKey, oldKey)
	resp := do(rotated, "/get?k=a", ck)
	if got, want := body(resp), "1 true"; got != want {
		t.Fatalf("old cookie after rotation: got %q, want %q", got, want)
	}
	reissued := sessionCookie(t, resp)
	if reissued == ck {
		t.Fatalf("rolling cookie was not re-signed with the new key")
	}
	retired := mk(newKey)
	if got, want := body(do(retired, "/get?k=a", reissued)), "1 true"; got != want {
		t.Errorf("re-signed cookie after retiring the old key: got %q, want %q", got, want)
	}
	if got, want := body(do(retired, "/why", ck)), "bad-signature"; got != want {
		t.Errorf("old-key cookie after retiring the key: got %q, want %q", got, want)
	}
}

func TestIdleAndAbsoluteExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, session.Config{IdleTimeout: 10 * time.Minute, AbsoluteTimeout: time.Hour, TouchInterval: time.Minute}, app)
		ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))

		// Active every 9 minutes: the idle deadline keeps moving.
		for range 6 {
			time.Sleep(9 * time.Minute)
			if got, want := body(f.do("GET", "/get?k=a", ck)), "1 true"; got != want {
				t.Fatalf("at %v: got %q, want %q", time.Now(), got, want)
			}
		}
		// 54 minutes in; the absolute deadline (60) ends it however active.
		time.Sleep(7 * time.Minute)
		if got, want := body(f.do("GET", "/why", ck)), "unknown-or-expired"; got != want {
			t.Fatalf("past the absolute timeout: got %q, want %q", got, want)
		}

		ck = sessionCookie(t, f.do("GET", "/set?k=a&v=2", ""))
		time.Sleep(10*time.Minute + time.Second)
		if got, want := body(f.do("GET", "/why", ck)), "unknown-or-expired"; got != want {
			t.Fatalf("past the idle timeout: got %q, want %q", got, want)
		}
	})
}

func TestTouchIsThrottled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, session.Config{IdleTimeout: time.Hour, TouchInterval: 5 * time.Minute}, app)
		ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
		p0 := f.store.patches.Load()
		for range 4 {
			time.Sleep(time.Minute)
			if resp := f.do("GET", "/get?k=a", ck); resp.Header.Get("Set-Cookie") != "" {
				t.Errorf("a read within TouchInterval re-sent the cookie")
			}
		}
		if got := f.store.patches.Load() - p0; got != 0 {
			t.Fatalf("store writes within TouchInterval: got %d, want 0", got)
		}
		time.Sleep(time.Minute)
		resp := f.do("GET", "/get?k=a", ck)
		if got := f.store.patches.Load() - p0; got != 1 {
			t.Fatalf("store writes after TouchInterval: got %d, want 1", got)
		}
		if resp.Header.Get("Set-Cookie") == "" {
			t.Errorf("a touch did not re-send the cookie with its new expiry")
		}
	})
}

func TestStoreFailureIs503ProblemJSON(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
	down := errors.New("connection refused")
	f.store.fail.Store(&down)
	for _, path := range []string{"/get?k=a", "/set?k=b&v=2"} {
		resp := f.do("GET", path, ck)
		if resp.StatusCode != 503 {
			t.Fatalf("%s: status %d, want 503", path, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		var p map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p["rule"] != "SES031" || !strings.Contains(p["detail"].(string), "counting") {
			t.Errorf("%s: problem %v does not name the rule and the store", path, p)
		}
		// The body is problem.Response's (RFC 9457), as the CSRF stage's is.
		if p["type"] != problem.StoreUnavailable.URL() || p["title"] != "Session store unavailable" || p["status"] != float64(503) {
			t.Errorf("%s: got type %v, title %v, status %v; want %s, \"Session store unavailable\", 503", path, p["type"], p["title"], p["status"], problem.StoreUnavailable.URL())
		}
		if got := resp.Header.Get("Retry-After"); got != "1" {
			t.Errorf("%s: got Retry-After %q, want \"1\"", path, got)
		}
	}
	f.store.fail.Store(nil)
	if got, want := body(f.do("GET", "/get?k=a", ck)), "1 true"; got != want {
		t.Errorf("after recovery: got %q, want %q", got, want)
	}
}

func TestErrCheckedHandlerKeepsItsResponse(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Err(); err != nil {
			var se *session.StoreError
			fmt.Fprintf(w, "degraded %v", errors.As(err, &se))
			return
		}
		session.Set(s, "a", 1)
	})
	ck := sessionCookie(t, f.do("GET", "/", ""))
	down := errors.New("down")
	f.store.fail.Store(&down)
	resp := f.do("GET", "/", ck)
	if got, want := body(resp), "degraded true"; resp.StatusCode != 200 || got != want {
		t.Errorf("got %d %q, want 200 %q", resp.StatusCode, got, want)
	}
}

func TestStoreTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, session.Config{StoreTimeout: 50 * time.Millisecond}, app)
		ck := sessionCookie(t, f.do("GET", "/set?k=a&v=1", ""))
		f.m = nil
		hang := &hangingStore{Store: f.store}
		m, err := session.New(session.Config{Store: hang, Keys: keyring(t), StoreTimeout: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/get?k=a", nil)
		req.Header.Set("Cookie", ck)
		rec := httptest.NewRecorder()
		start := time.Now()
		m.Handler(http.HandlerFunc(app)).ServeHTTP(rec, req)
		if rec.Code != 503 {
			t.Fatalf("status %d, want 503", rec.Code)
		}
		if took := time.Since(start); took != 50*time.Millisecond {
			t.Errorf("answered after %v, want the 50ms StoreTimeout", took)
		}
		if !strings.Contains(rec.Body.String(), "did not answer in time") {
			t.Errorf("body %q does not say the store timed out", rec.Body.String())
		}
	})
}

// hangingStore never answers Load until its context ends, like a dead server
// behind a dropped connection.
type hangingStore struct{ session.Store }

func (h *hangingStore) Load(ctx context.Context, key string) (session.Record, bool, error) {
	<-ctx.Done()
	return session.Record{}, false, ctx.Err()
}

func TestChangeAfterResponseStarted(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		io.WriteString(w, "started ")
		session.Set(s, "late", r.URL.Query().Get("v"))
		v, _ := session.Get[string](s, "late")
		io.WriteString(w, v)
	})
	// New session: the cookie can no longer be sent; nothing is stored.
	resp := f.do("GET", "/?v=1", "")
	if v := resp.Header.Values("Set-Cookie"); len(v) != 0 {
		t.Errorf("Set-Cookie after the response started: %q", v)
	}
	if got := f.store.saves.Load(); got != 0 {
		t.Errorf("a session no cookie names was saved: %d saves", got)
	}
	// Existing session: the change is saved after the response.
	g := newFixture(t, session.Config{}, app)
	ck := sessionCookie(t, g.do("GET", "/set?k=x&v=0", ""))
	m, err := session.New(session.Config{Store: g.store, Keys: keyring(t), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		w.WriteHeader(200)
		session.Set(s, "x", "after")
	}))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", ck)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got, want := body(g.do("GET", "/get?k=x", ck)), "after true"; got != want {
		t.Errorf("late change to an existing session: got %q, want %q", got, want)
	}
}

func TestUserSessionsAndDestroyUser(t *testing.T) {
	f := newFixture(t, session.Config{}, app)
	a1 := sessionCookie(t, f.do("GET", "/login?user=alice", ""))
	a2 := sessionCookie(t, f.do("GET", "/login?user=alice", ""))
	b1 := sessionCookie(t, f.do("GET", "/login?user=bob", ""))
	ctx := context.Background()
	list, err := f.m.UserSessions(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("alice's sessions: got %d, want 2", len(list))
	}
	keep := storeKey(strings.SplitN(strings.TrimPrefix(a1, "sid="), ".", 2)[0])
	n, err := f.m.DestroyUser(ctx, "alice", keep)
	if err != nil || n != 1 {
		t.Fatalf("DestroyUser: got %d, %v; want 1, nil", n, err)
	}
	for _, c := range []struct{ ck, want string }{{a1, "alice true"}, {a2, " false"}, {b1, "bob true"}} {
		if got := body(f.do("GET", "/get?k=user", c.ck)); got != c.want {
			t.Errorf("after sign-out-others: got %q, want %q", got, c.want)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  session.Config
		rule string
	}{
		{"no keys", session.Config{Store: newMemStore(t)}, "SES030"},
		{"none without secure", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{SameSite: cookie.SameSiteNone, Secure: session.SecureNever}}, "SES006"},
		{"host prefix with domain", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{Name: "__Host-sid", Domain: "example.com"}}, "SES028"},
		{"name not a token", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{Name: "my sid"}}, "SES037"},
		{"domain a public suffix", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{Domain: "co.uk"}}, "SES008"},
		{"partitioned never secure", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{Partitioned: true, Secure: session.SecureNever}}, "SES038"},
		{"secure prefix never secure", session.Config{Store: newMemStore(t), Keys: keyring(t), Cookie: session.CookieConfig{Name: "__Secure-sid", Secure: session.SecureNever}}, "SES028"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := session.New(c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.rule) {
				t.Errorf("got %v, want an error with rule %s", err, c.rule)
			}
		})
	}
}

func FuzzCookie(f *testing.F) {
	fx := newFixture(f, session.Config{}, app)
	good := sessionCookie(f, fx.do("GET", "/set?k=a&v=1", ""))
	f.Add(good)
	f.Add("sid=")
	f.Add("sid=" + strings.Repeat("A", 43) + "." + strings.Repeat("B", 43))
	f.Add(`sid="x.y"; sid=z`)
	f.Fuzz(func(t *testing.T, cookie string) {
		req := httptest.NewRequest("GET", "/why", nil)
		req.Header["Cookie"] = []string{cookie}
		rec := httptest.NewRecorder()
		fx.h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("cookie %q: status %d", cookie, rec.Code)
		}
		if why := rec.Body.String(); why == "found" && !strings.Contains(cookie, strings.TrimPrefix(good, "sid=")) {
			t.Fatalf("cookie %q found a session it does not name", cookie)
		}
	})
}

func TestStringValuesRoundTrip(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if v := r.URL.Query().Get("v"); r.Method == "PUT" {
			session.Set(s, "k", v)
			return
		}
		v, ok := session.Get[string](s, "k")
		fmt.Fprintf(w, "%q %v", v, ok)
	})
	for _, v := range []string{"", "alice", `quote " and \ backslash`, "tab\there\nnewline", "é ünïcödé ☃", "<script>&amp;</script>", "\u2028"} {
		req := httptest.NewRequest("PUT", "/?v="+url.QueryEscape(v), nil)
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		ck := sessionCookie(t, rec.Result())
		if got, want := body(f.do("GET", "/", ck)), fmt.Sprintf("%q true", v); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestWritesWithinTouchIntervalKeepTheCookie(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t, session.Config{IdleTimeout: time.Hour, TouchInterval: 5 * time.Minute}, func(w http.ResponseWriter, r *http.Request) {
			s := session.From(r.Context())
			session.Set(s, "n", r.URL.Query().Get("n"))
			if r.URL.Query().Get("touch") == "1" {
				s.Touch()
			}
		})
		ck := sessionCookie(t, f.do("PUT", "/?n=0", ""))
		time.Sleep(time.Minute)
		if resp := f.do("PUT", "/?n=1", ck); resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("a write within TouchInterval re-sent the cookie: %q", resp.Header.Get("Set-Cookie"))
		}
		if resp := f.do("PUT", "/?n=2&touch=1", ck); resp.Header.Get("Set-Cookie") == "" {
			t.Errorf("an explicit Touch did not re-send the cookie with its new expiry")
		}
		time.Sleep(5 * time.Minute)
		if resp := f.do("PUT", "/?n=3", ck); resp.Header.Get("Set-Cookie") == "" {
			t.Errorf("a write after TouchInterval did not move the expiry")
		}
	})
}

// TestSaveThenChangeAgain: an explicit Save, then more changes in the same
// request; each patch carries only what changed since the one before.
func TestSaveThenChangeAgain(t *testing.T) {
	f := newFixture(t, session.Config{}, func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if r.Method == "PUT" {
			session.Set(s, "a", "0")
			return
		}
		session.Set(s, "a", "1")
		if err := s.Save(r.Context()); err != nil {
			t.Error(err)
		}
		session.Set(s, "b", "2")
		s.Delete("a")
		a, aok := session.Get[string](s, "a")
		b, _ := session.Get[string](s, "b")
		fmt.Fprintf(w, "%s|%v|%s", a, aok, b)
	})
	ck := sessionCookie(t, f.do("PUT", "/", ""))
	p0 := f.store.patches.Load()
	if got, want := body(f.do("POST", "/", ck)), "|false|2"; got != want {
		t.Errorf("view within the request: got %q, want %q", got, want)
	}
	if got := f.store.patches.Load() - p0; got != 2 {
		t.Errorf("patches: got %d, want 2 (the Save and the commit)", got)
	}
	rec, found, err := f.store.Load(context.Background(), storeKey(strings.SplitN(strings.TrimPrefix(ck, "sid="), ".", 2)[0]))
	if err != nil || !found {
		t.Fatalf("Load: %v, found %v", err, found)
	}
	if _, ok := rec.Values["a"]; ok {
		t.Errorf("a survived its Delete: %s", rec.Values["a"])
	}
	if got := string(rec.Values["b"]); got != `"2"` {
		t.Errorf("b: got %s, want \"2\"", got)
	}
}
