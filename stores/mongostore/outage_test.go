package mongostore_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
	"github.com/sesame-go/sesame/stores/mongostore/internal/ferret"
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

// TestOutageHTTP runs a bounded request loop over a real socket through
// Manager.Handler, stops the test's own FerretDB in the middle of it and starts it
// again on the same port and data, and checks that every response was a correct
// 200 or a 503 problem+json naming the store, that /readyz followed the outage,
// that no acknowledged write was lost, and that sessions work again afterwards
// without restarting anything else.
func TestOutageHTTP(t *testing.T) {
	dir := t.TempDir()
	srv, err := ferret.Start(ferretExe, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)

	client := connect(t, srv.URL()+"?serverSelectionTimeoutMS=1000&connectTimeoutMS=500")
	store := newStore(t, "", mongostore.Config{Collection: newCollection(t, client)})
	keys, err := cookie.NewKeyring([]byte("mongostore-outage-test-key-7f3a9c2e51d84b06"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(session.Config{
		Store: store,
		Keys:  keys,
		// Long enough that the loaded test machine does not time out a write the
		// live server then applies late, over a newer acknowledged one: this
		// test is about the server going away (see the package doc, "Timeouts").
		StoreTimeout: 2 * time.Second,
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
	t.Cleanup(hs.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(transport.CloseIdleConnections)

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
		return &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
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
		maxRequests = 1500
		maxDuration = 40 * time.Second
		stopAt      = 200 // requests before the stop
		downFor     = 24  // requests answered once it is down (each waits up to a second)
		recovered   = 100 // 200s after the restart that end the loop early
	)
	var (
		n                                    atomic.Int64
		stopped, restarted                   atomic.Bool
		ok200, got503, early503, lost, after atomic.Int64
		wg                                   sync.WaitGroup
	)
	deadline := time.Now().Add(maxDuration)
	for range workers {
		wg.Go(func() {
			c := newClient()
			last, uncertain := 0, false
			for n.Load() < maxRequests && time.Now().Before(deadline) && after.Load() < recovered {
				code, h, body, err := get(c, "/count")
				n.Add(1)
				switch {
				case err != nil:
					t.Errorf("request failed: %v", err)
					return
				case code == http.StatusOK:
					v, err := strconv.Atoi(strings.TrimSpace(body))
					if err != nil {
						t.Errorf("200 body %q", body)
						return
					}
					// Without a 503 in between the count goes up by one; after one,
					// the failed write may or may not have reached the server. A
					// count at or below the last acknowledged one lost a write.
					switch {
					case v == last+1 || (uncertain && v > last) || last == 0:
					case v <= last:
						lost.Add(1)
						t.Errorf("count %d after an acknowledged %d: a write was lost", v, last)
					default:
						t.Errorf("count %d after %d with no 503 between", v, last)
					}
					last, uncertain = v, false
					ok200.Add(1)
					if restarted.Load() {
						after.Add(1)
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
					if err := json.Unmarshal([]byte(body), &p); err != nil || p.Status != 503 || p.Rule != "SES031" || !strings.Contains(p.Detail, "mongodb") {
						t.Errorf("503 body %q (%v), want a problem naming the mongodb store and rule SES031", body, err)
						return
					}
					if !stopped.Load() {
						early503.Add(1)
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

	waitFor := func(count int64) bool {
		for n.Load() < count {
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(5 * time.Millisecond)
		}
		return true
	}
	if waitFor(stopAt) {
		stopped.Store(true)
		srv.Kill() // by PID, SIGKILL: the requests in flight lose their connection
		down := n.Load()
		if got := readyz(); got != http.StatusServiceUnavailable {
			t.Errorf("/readyz with the server down: got %d, want 503", got)
		}
		waitFor(down + downFor)
		addr := srv.Addr()
		srv, err = srv.Restart()
		if err != nil {
			t.Fatalf("restarting FerretDB on %s: %v", addr, err)
		}
		t.Cleanup(srv.Stop)
		restarted.Store(true)
		t.Logf("stopped after %d requests, restarted after %d", down, n.Load())
	}
	wg.Wait()
	t.Logf("%d requests: %d answered 200 (acknowledged writes), %d answered 503 (%d of them before the stop), %d lost writes; after the restart %d answered 200",
		n.Load(), ok200.Load(), got503.Load(), early503.Load(), lost.Load(), after.Load())
	if !restarted.Load() {
		t.Fatalf("the loop made fewer than %d requests in %v: the outage never happened", stopAt, maxDuration)
	}
	if got503.Load() == 0 {
		t.Errorf("got no 503 while the server was down, want some")
	}
	if after.Load() == 0 {
		t.Errorf("got no 200 after the restart, want the store to recover")
	}
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
}
