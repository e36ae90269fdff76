package redisstore_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"runtime"
	"runtime/pprof"
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

// counter increments "n" in the session and answers its new value.
var counter = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.From(r.Context())
	n, _ := session.Get[int](s, "n")
	n++
	if err := session.Set(s, "n", n); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "%d\n", n)
})

// progress counts requests and closes a channel when a count is reached.
type progress struct {
	n     atomic.Int64
	marks map[int64]chan struct{}
}

func (p *progress) add() {
	if c, ok := p.marks[p.n.Add(1)]; ok {
		close(c)
	}
}

// TestOutageHTTP runs a bounded request loop through Manager.Handler and an
// httptest server, kills the test's own redis-server in the middle of it and
// starts it again on the same port, and checks that every response was either a
// correct 200 or a 503 problem+json, that /readyz followed the outage, that
// sessions work again after the restart without restarting anything else, and
// that no goroutine leaked.
func TestOutageHTTP(t *testing.T) {
	srv := redistest.StartServer(t)
	baseline := runtime.NumGoroutine()

	client := redis.NewClient(redistest.Options(srv.Addr()))
	store, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := cookie.NewKeyring([]byte("outage-test-key-0123456789abcdef0123"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(session.Config{
		Store:        store,
		Keys:         keys,
		StoreTimeout: 300 * time.Millisecond,
		Cookie:       session.CookieConfig{Secure: session.SecureNever},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/count", m.Handler(counter))
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := m.Ready(r.Context()); err != nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	hs := httptest.NewServer(mux)
	transport := &http.Transport{MaxIdleConnsPerHost: 16}

	get := func(c *http.Client, path string) (int, http.Header, string, error) {
		resp, err := c.Get(hs.URL + path)
		if err != nil {
			return 0, nil, "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body), err
	}
	newClient := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, Transport: transport, Timeout: 5 * time.Second}
	}
	readyz := func() int {
		code, _, _, err := get(newClient(), "/readyz")
		if err != nil {
			t.Fatalf("/readyz: %v", err)
		}
		return code
	}
	if got := readyz(); got != http.StatusOK {
		t.Fatalf("/readyz before the outage: got %d, want 200", got)
	}

	const (
		workers     = 4
		maxRequests = 2000
		maxDuration = 4 * time.Second
		killAt      = 300 // requests before the kill
		restartAt   = 700 // requests before the restart
	)
	prog := &progress{marks: map[int64]chan struct{}{killAt: make(chan struct{}), restartAt: make(chan struct{})}}
	var (
		restarted                          atomic.Bool
		ok200, got503, after200, afterReqs atomic.Int64
		wg                                 sync.WaitGroup
	)
	stop := time.Now().Add(maxDuration)
	for range workers {
		wg.Go(func() {
			c := newClient()
			last, uncertain := 0, false
			for prog.n.Load() < maxRequests && time.Now().Before(stop) {
				wasRestarted := restarted.Load()
				code, h, body, err := get(c, "/count")
				prog.add()
				if wasRestarted {
					afterReqs.Add(1)
				}
				switch {
				case err != nil:
					t.Errorf("request failed: %v", err)
					return
				case code == http.StatusOK:
					n, err := strconv.Atoi(strings.TrimSpace(body))
					// Without a 503 in between, the count goes up by one. After a
					// 503 the failed write may or may not have reached Redis. A
					// count back at 1 is a new session: the server lost its data
					// in the restart.
					okNext := n == last+1 || (uncertain && n > last) || (n == 1 && (last == 0 || restarted.Load()))
					if err != nil || !okNext {
						t.Errorf("200 body %q after %d (a 503 since: %v), want the next count", body, last, uncertain)
						return
					}
					last, uncertain = n, false
					ok200.Add(1)
					if wasRestarted {
						after200.Add(1)
					}
				case code == http.StatusServiceUnavailable:
					var p struct {
						Status int    `json:"status"`
						Rule   string `json:"rule"`
						Detail string `json:"detail"`
					}
					if ct := h.Get("Content-Type"); ct != "application/problem+json" {
						t.Errorf("503 with Content-Type %q, want application/problem+json", ct)
						return
					}
					if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != 503 || p.Rule != "SES031" || !strings.Contains(p.Detail, "redis") {
						t.Errorf("503 body %q (%v), want a problem naming the redis store and rule SES031", body, err)
						return
					}
					uncertain = true
					got503.Add(1)
				default:
					t.Errorf("got status %d with body %q, want 200 or 503", code, body)
					return
				}
			}
		})
	}

	killed := false
	select {
	case <-prog.marks[killAt]:
		srv.Kill()
		killed = true
		if got := readyz(); got != http.StatusServiceUnavailable {
			t.Errorf("/readyz with Redis down: got %d, want 503", got)
		}
	case <-time.After(maxDuration):
	}
	if killed {
		select {
		case <-prog.marks[restartAt]:
		case <-time.After(maxDuration):
		}
		srv.Start()
		restarted.Store(true)
	}
	wg.Wait()
	t.Logf("%d requests: %d answered 200, %d answered 503; after the restart %d of %d answered 200",
		prog.n.Load(), ok200.Load(), got503.Load(), after200.Load(), afterReqs.Load())
	if !killed {
		t.Fatalf("the loop made fewer than %d requests in %v: the kill never happened", killAt, maxDuration)
	}
	if got503.Load() == 0 {
		t.Errorf("got no 503 while Redis was down, want some")
	}

	// Recovery: the same Manager, store and client serve sessions again.
	waitReady(t, store)
	if got := readyz(); got != http.StatusOK {
		t.Errorf("/readyz after the restart: got %d, want 200", got)
	}
	c := newClient()
	for want := 1; want <= 3; want++ {
		code, _, body, err := get(c, "/count")
		if err != nil || code != http.StatusOK || strings.TrimSpace(body) != strconv.Itoa(want) {
			t.Fatalf("after recovery: got %d %q (%v), want 200 %d", code, body, err, want)
		}
	}

	// Everything stopped, the goroutine count returns to where it was.
	hs.Close()
	transport.CloseIdleConnections()
	client.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			var buf strings.Builder
			pprof.Lookup("goroutine").WriteTo(&buf, 1)
			t.Fatalf("got %d goroutines, want at most %d as before the test:\n%s", runtime.NumGoroutine(), baseline, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
