package redisstore_test

import (
	"context"
	"encoding/json"
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

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
	"github.com/sesame-go/sesame/stores/redisstore"
	"github.com/sesame-go/sesame/stores/redisstore/internal/redistest"
)

const masterName = "sesame"

// sentinelSetup starts a primary, a replica of it and a Sentinel watching them,
// and returns a failover client (redis.NewFailoverClient: a *redis.Client that
// asks the Sentinel where the primary is), closed when the test ends.
func sentinelSetup(t *testing.T) (primary, replica, sentinel *redistest.Server, client *redis.Client) {
	t.Helper()
	primary = redistest.StartServer(t)
	replica = redistest.StartReplica(t, primary)
	sentinel = redistest.StartSentinel(t, masterName, primary)
	o := redistest.Options("")
	client = redis.NewFailoverClient(&redis.FailoverOptions{
		MasterName:            masterName,
		SentinelAddrs:         []string{sentinel.Addr()},
		ContextTimeoutEnabled: true,
		DialTimeout:           o.DialTimeout,
		ReadTimeout:           o.ReadTimeout,
		WriteTimeout:          o.WriteTimeout,
		PoolTimeout:           o.PoolTimeout,
		MaxRetries:            o.MaxRetries,
	})
	t.Cleanup(func() { client.Close() })
	return primary, replica, sentinel, client
}

// TestConformanceSentinel runs the conformance suite through a failover client.
func TestConformanceSentinel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a primary, a replica and a Sentinel")
	}
	_, _, _, client := sentinelSetup(t)
	newStore := storeOn(client)
	sessiontest.Run(t, func(t *testing.T) session.Store { return newStore(t) })
}

// TestSentinelFailoverHTTP runs a bounded request loop through Manager.Handler
// and an httptest server against a Sentinel-managed primary, kills the primary
// (SIGKILL to its PID) in the middle of it, and counts: every response is a
// correct 200 or a 503 problem+json; once the Sentinel has promoted the replica,
// sessions work again through the same client; no write answered 200 is lost.
//
// Redis replicates asynchronously, so a write the primary acknowledged in the
// instant before it died may not have reached the replica; the test counts such
// writes as lost and fails on any.
func TestSentinelFailoverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a primary, a replica and a Sentinel")
	}
	primary, replica, sentinel, client := sentinelSetup(t)
	store, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := cookie.NewKeyring([]byte("sentinel-test-key-0123456789abcdef01"))
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
	hs := httptest.NewServer(m.Handler(counter))
	t.Cleanup(hs.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(transport.CloseIdleConnections)

	sent := redis.NewSentinelClient(&redis.Options{Addr: sentinel.Addr()})
	t.Cleanup(func() { sent.Close() })
	masterAddr := func() string {
		c, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		a, err := sent.GetMasterAddrByName(c, masterName).Result()
		if err != nil || len(a) != 2 {
			return ""
		}
		return a[0] + ":" + a[1]
	}
	if got := masterAddr(); got != primary.Addr() {
		t.Fatalf("Sentinel's primary before the failover: got %s, want %s", got, primary.Addr())
	}

	const (
		workers     = 4
		killAt      = 300              // requests before the kill
		afterSwitch = 300              // requests after the Sentinel named the new primary
		maxDuration = 30 * time.Second // the whole loop, whatever happens
	)
	var (
		requests, ok200, got503, lost atomic.Int64
		switched                      atomic.Bool
		afterReqs, after200           atomic.Int64
		wg                            sync.WaitGroup
		killOnce                      sync.Once
		killed                        = make(chan struct{})
	)
	stop := time.Now().Add(maxDuration)
	for range workers {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: transport, Timeout: 5 * time.Second}
			last := 0
			for time.Now().Before(stop) && (!switched.Load() || afterReqs.Load() < afterSwitch) {
				wasSwitched := switched.Load()
				resp, err := c.Get(hs.URL)
				if err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if requests.Add(1) == killAt {
					killOnce.Do(func() { close(killed) })
				}
				if wasSwitched {
					afterReqs.Add(1)
				}
				switch resp.StatusCode {
				case http.StatusOK:
					n, err := strconv.Atoi(strings.TrimSpace(string(body)))
					if err != nil {
						t.Errorf("200 body %q, want a count", body)
						return
					}
					// n is at least last+1; a 503 in between may have counted too.
					// Anything lower lost acknowledged writes (n == 1: the whole
					// session).
					if n <= last {
						lost.Add(int64(last - n + 1))
					}
					last = n
					ok200.Add(1)
					if wasSwitched {
						after200.Add(1)
					}
				case http.StatusServiceUnavailable:
					var p struct {
						Status int    `json:"status"`
						Rule   string `json:"rule"`
						Detail string `json:"detail"`
					}
					if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
						t.Errorf("503 with Content-Type %q, want application/problem+json", ct)
						return
					}
					if err := json.Unmarshal(body, &p); err != nil || p.Status != 503 || p.Rule != "SES031" || !strings.Contains(p.Detail, "redis") {
						t.Errorf("503 body %q (%v), want a problem naming the redis store and rule SES031", body, err)
						return
					}
					got503.Add(1)
				default:
					t.Errorf("got status %d with body %q, want 200 or 503", resp.StatusCode, body)
					return
				}
			}
		})
	}

	var failover time.Duration
	select {
	case <-killed:
		primary.Kill()
		start := time.Now()
		for masterAddr() != replica.Addr() && time.Now().Before(stop) {
			time.Sleep(50 * time.Millisecond)
		}
		failover = time.Since(start)
		switched.Store(true)
	case <-time.After(maxDuration):
	}
	wg.Wait()
	t.Logf("%d requests: %d answered 200 (acknowledged writes), %d answered 503, %d acknowledged writes lost; "+
		"the Sentinel named the replica %v after the kill; after that %d of %d requests answered 200",
		requests.Load(), ok200.Load(), got503.Load(), lost.Load(), failover.Round(10*time.Millisecond), after200.Load(), afterReqs.Load())
	if !switched.Load() {
		t.Fatalf("the Sentinel did not promote the replica within %v (now %q)", maxDuration, masterAddr())
	}
	if got := masterAddr(); got != replica.Addr() {
		t.Fatalf("Sentinel's primary after the failover: got %s, want the replica %s", got, replica.Addr())
	}
	if lost.Load() != 0 {
		t.Errorf("got %d acknowledged writes lost, want 0", lost.Load())
	}
	if after200.Load() == 0 {
		t.Errorf("no request answered 200 after the failover, want sessions to work again")
	}
	// Recovery: the same Manager, store and client serve new sessions.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: transport, Timeout: 5 * time.Second}
	for want := 1; want <= 3; want++ {
		resp, err := c.Get(hs.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != strconv.Itoa(want) {
			t.Fatalf("after the failover: got %d %q, want 200 %d", resp.StatusCode, body, want)
		}
	}
}
