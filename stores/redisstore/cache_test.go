package redisstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

// instance is one application instance: its own Redis client, a Store with the
// client-side cache on, a Manager and an HTTP server over a real socket.
type instance struct {
	store  *redisstore.Store
	srv    *httptest.Server
	served sync.Map // user → time.Time: when /read last served that user's session
}

// newInstance starts an instance on the shared Redis under prefix.
func newInstance(t *testing.T, prefix string, kr *cookie.Keyring) *instance {
	t.Helper()
	c := redis.NewClient(redistest.Options(redistest.SharedAddr()))
	t.Cleanup(func() { c.Close() })
	st, err := redisstore.New(redisstore.Config{Client: c, Prefix: prefix, Cache: &redisstore.CacheConfig{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	m, err := session.New(session.Config{Store: st, Keys: kr})
	if err != nil {
		t.Fatalf("session.New: %v", err)
	}
	in := &instance{store: st}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.From(r.Context())
		if err := s.Regenerate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		u := r.URL.Query().Get("u")
		s.SetUser(u)
		session.Set(s, "user", u)
	})
	mux.HandleFunc("GET /read", func(w http.ResponseWriter, r *http.Request) {
		u, _ := session.Get[string](session.From(r.Context()), "user")
		if u == "" {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		in.served.Store(u, time.Now())
		io.WriteString(w, u)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.From(r.Context()).Destroy(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("POST /rotate", func(w http.ResponseWriter, r *http.Request) {
		if err := session.From(r.Context()).Regenerate(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	in.srv = httptest.NewServer(m.Handler(mux))
	t.Cleanup(in.srv.Close)
	return in
}

// do sends one request with cookie and returns the status and the session
// cookie the response set ("" for none).
func (in *instance) do(t *testing.T, method, path, ck string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, in.srv.URL+path, nil)
	if ck != "" {
		req.Header.Set("Cookie", ck)
	}
	res, err := in.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	set := ""
	for _, c := range res.Cookies() {
		if c.MaxAge >= 0 && c.Value != "" {
			set = c.Name + "=" + c.Value
		}
	}
	return res.StatusCode, set
}

// TestCacheInvalidation is the security bound of the cache: a session destroyed
// or rotated away on instance A is refused by instance B, whose cache held it,
// within 100 ms, while B serves a steady load of other cached sessions. B is
// polled over its socket from the moment A's response arrived; the window is
// how long after that B's handler last served the old session.
func TestCacheInvalidation(t *testing.T) {
	c := redistest.Shared(t)
	prefix := redistest.UniquePrefix(t, c)
	kr, err := cookie.NewKeyring([]byte("cache-invalidation-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := newInstance(t, prefix, kr), newInstance(t, prefix, kr)

	// The load: four clients reading eight sessions through B as fast as B
	// answers, for as long as the trials run.
	var load []string
	for i := range 8 {
		_, ck := a.do(t, "POST", "/login?u=load"+strconv.Itoa(i), "")
		load = append(load, ck)
	}
	ctx, stop := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var served atomic.Int64
	for i := range 4 {
		wg.Go(func() {
			for j := i; ctx.Err() == nil; j++ {
				req, _ := http.NewRequestWithContext(ctx, "GET", b.srv.URL+"/read", nil)
				req.Header.Set("Cookie", load[j%len(load)])
				res, err := b.srv.Client().Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				served.Add(1)
			}
		})
	}
	defer func() { stop(); wg.Wait() }()

	const trials = 40
	const bound = 100 * time.Millisecond
	for _, action := range []string{"/logout", "/rotate"} {
		var windows []time.Duration
		for i := range trials {
			u := action[1:] + strconv.Itoa(i)
			_, ck := a.do(t, "POST", "/login?u="+u, "")
			for range 3 { // the third read at least is a cache hit
				if code, _ := b.do(t, "GET", "/read", ck); code != http.StatusOK {
					t.Fatalf("GET /read on B before %s: got %d, want 200", action, code)
				}
			}
			if code, _ := a.do(t, "POST", action, ck); code != http.StatusOK {
				t.Fatalf("POST %s on A: got %d, want 200", action, code)
			}
			// A has answered: the record is gone from Redis. Poll B until it
			// refuses the old cookie; the window is how long after A's answer
			// B's handler last served the old session (0: never), read from
			// B's own clock so the HTTP latency of the polls does not count.
			done := time.Now()
			for {
				code, _ := b.do(t, "GET", "/read", ck)
				if code == http.StatusUnauthorized {
					break
				}
				if time.Since(done) > time.Second {
					t.Fatalf("%s on A: B still serves the old session after %v", action, time.Since(done))
				}
			}
			var window time.Duration
			if v, ok := b.served.Load(u); ok {
				window = max(v.(time.Time).Sub(done), 0)
			}
			windows = append(windows, window)
		}
		slices.Sort(windows)
		p50, p99 := windows[len(windows)/2], windows[len(windows)*99/100]
		t.Logf("%s on A, refused by B after: p50 %v, p99 %v, max %v (%d trials, %d load requests served by B so far)",
			action, p50, p99, windows[len(windows)-1], trials, served.Load())
		if max := windows[len(windows)-1]; max > bound {
			t.Errorf("%s on A: B refused the old session after %v, want at most %v", action, max, bound)
		}
	}
	st := b.store.CacheStats()
	if st.Hits == 0 {
		t.Errorf("got %d cache hits on B, want some: the test did not exercise the cache", st.Hits)
	}
	if !b.store.Caching() {
		t.Error("got Caching() false on B, want true against a RESP3 Redis")
	}
	t.Logf("B's cache: %d hits, %d misses, %d entries, %d bytes (%d per entry)",
		st.Hits, st.Misses, st.Entries, st.MemoryUsageBytes, st.MemoryUsageBytes/int64(max(st.Entries, 1)))
}

// TestCacheFallback: where go-redis cannot cache (a Cluster client; a server
// that refuses RESP3), the store says so once and reads from Redis.
func TestCacheFallback(t *testing.T) {
	t.Run("cluster client", func(t *testing.T) {
		var logs bytes.Buffer
		cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, ContextTimeoutEnabled: true})
		defer cc.Close()
		st, err := redisstore.New(redisstore.Config{Client: cc, Cache: &redisstore.CacheConfig{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if st.Caching() {
			t.Error("got Caching() true on a Cluster client, want false")
		}
		if got := strings.Count(logs.String(), "Config.Cache is ignored"); got != 1 {
			t.Errorf("got %d warnings, want 1: %q", got, logs.String())
		}
	})
	t.Run("server without RESP3", func(t *testing.T) {
		// HELLO renamed away: the server answers as a RESP2-only Redis would.
		srv := redistest.StartServer(t, "--rename-command", "HELLO", "")
		c := redis.NewClient(redistest.Options(srv.Addr()))
		defer c.Close()
		var logs bytes.Buffer
		st, err := redisstore.New(redisstore.Config{Client: c, Cache: &redisstore.CacheConfig{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		defer st.Close()
		k := key("fallback")
		if err := st.Save(ctx(t), k, record("bob", "user", `"bob"`)); err != nil {
			t.Fatalf("Save: %v", err)
		}
		for range 3 {
			if _, found, err := st.Load(ctx(t), k); err != nil || !found {
				t.Fatalf("Load: got found %v, err %v; want found", found, err)
			}
		}
		if st.Caching() {
			t.Error("got Caching() true without RESP3, want false")
		}
		if got := strings.Count(logs.String(), "Config.Cache is not in effect"); got != 1 {
			t.Errorf("got %d warnings, want 1: %q", got, logs.String())
		}
		if err := st.Delete(ctx(t), k); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := st.Load(ctx(t), k); found {
			t.Error("Load after Delete: got found, want missing")
		}
	})
}

// TestCacheReadsOwnWrites: an instance reads its own write at once, without
// waiting for Redis's invalidation: the bench's check (write, then read on the
// same instance) found a stale value before the store dropped its own copy.
func TestCacheReadsOwnWrites(t *testing.T) {
	c := redistest.Shared(t)
	prefix := redistest.UniquePrefix(t, c)
	st, err := redisstore.New(redisstore.Config{Client: c, Prefix: prefix, Cache: &redisstore.CacheConfig{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer st.Close()
	k := key("own")
	if err := st.Save(ctx(t), k, record("carol", "n", "0")); err != nil {
		t.Fatalf("Save: %v", err)
	}
	for i := 1; i <= 200; i++ {
		for range 2 { // the second Load is served from the cache
			if _, found, err := st.Load(ctx(t), k); err != nil || !found {
				t.Fatalf("Load: got found %v, err %v; want found", found, err)
			}
		}
		want := strconv.Itoa(i)
		p := session.Patch{Meta: record("carol").Meta, Set: map[string]json.RawMessage{"n": json.RawMessage(want)}}
		if applied, err := st.Patch(ctx(t), k, p); err != nil || !applied {
			t.Fatalf("Patch: got applied %v, err %v", applied, err)
		}
		rec, _, err := st.Load(ctx(t), k)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(rec.Values["n"]); got != want {
			t.Fatalf("Load right after Patch %d: got n = %s, want %s", i, got, want)
		}
	}
	if err := st.Delete(ctx(t), k); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := st.Load(ctx(t), k); found {
		t.Error("Load right after Delete: got found, want missing")
	}
	if !st.Caching() || st.CacheStats().Hits == 0 {
		t.Errorf("got Caching() %v and %d hits, want the cache in use", st.Caching(), st.CacheStats().Hits)
	}
}
