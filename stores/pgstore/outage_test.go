package pgstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/pgstore"
)

// A privateServer is a PostgreSQL server this test started with initdb and
// postgres on a free loopback port, in a directory of its own. It runs as the
// user postgres when the test runs as root (PostgreSQL refuses root).
type privateServer struct {
	t    *testing.T
	bin  string // the directory of initdb and postgres
	dir  string // the data directory
	port int
	cred *syscall.Credential

	mu  sync.Mutex
	cmd *exec.Cmd
	log bytes.Buffer
}

// startPrivate initialises and starts a private server, and stops it (by PID)
// and removes its files when the test ends. It skips the test only when the
// PostgreSQL server binaries are not installed.
func startPrivate(t *testing.T) *privateServer {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			bins = []string{p}
		}
	}
	if len(bins) == 0 {
		t.Skip("initdb is not installed (apt-get install postgresql; make test installs it)")
	}
	s := &privateServer{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	// Not t.TempDir: its parent is private to root, and the server runs as
	// postgres.
	dir, err := os.MkdirTemp("", "sesame-pgstore-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s.dir = filepath.Join(dir, "data")
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the server needs the user postgres (apt-get install postgresql creates it): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := s.command("initdb", "-D", s.dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *privateServer) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = filepath.Dir(s.dir)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

func (s *privateServer) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=1", s.port)
}

// start runs postgres on its port (again) and waits until it accepts queries.
func (s *privateServer) start() {
	s.t.Helper()
	cmd := s.command("postgres", "-D", s.dir, "-p", strconv.Itoa(s.port), "-k", filepath.Dir(s.dir),
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=40")
	s.mu.Lock()
	s.log.Reset()
	cmd.Stdout, cmd.Stderr = &s.log, &s.log
	s.mu.Unlock()
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting postgres: %v", err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		pool, err := pgxpool.New(ctx, s.url())
		if err == nil {
			err = pool.Ping(ctx)
			pool.Close()
		}
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.stop()
			s.t.Fatalf("postgres on port %d did not answer within 30s: %v\n%s", s.port, err, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the server at once, as a crash would (SIGQUIT to the postmaster's
// PID: immediate shutdown, no checkpoint; the next start replays the WAL), and
// waits for it. Stopping a stopped server does nothing.
func (s *privateServer) stop() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGQUIT)
	_ = cmd.Wait()
}

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

// TestOutageHTTP runs a bounded request loop through Manager.Handler and an
// httptest server against a private PostgreSQL, stops the server in the middle
// of it as a crash would and starts it again, and counts: every response is a
// correct 200 or a 503 problem+json naming the store, sessions work again after
// the restart through the same pool, and no write answered 200 is lost (the
// server replays its WAL: a committed write survives the crash).
func TestOutageHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	srv := startPrivate(t)
	cfg, err := pgxpool.ParseConfig(srv.url())
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := newStore(t, pgstore.Config{Pool: pool})
	keys, err := cookie.NewKeyring([]byte("pg-outage-test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := session.New(session.Config{
		Store:        store,
		Keys:         keys,
		StoreTimeout: 500 * time.Millisecond,
		Cookie:       session.CookieConfig{Secure: session.SecureNever},
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(m.Handler(counter))
	t.Cleanup(hs.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(transport.CloseIdleConnections)

	const (
		workers     = 4
		stopAt      = 200 // requests before the stop
		restartAt   = 200 // requests while it is down
		afterStart  = 200 // requests after the restart
		maxDuration = 60 * time.Second
	)
	var (
		requests, ok200, got503, lost atomic.Int64
		downReqs, down503, down200    atomic.Int64
		restarted                     atomic.Bool
		afterReqs, after200           atomic.Int64
		phase                         atomic.Int32 // 0 up, 1 down, 2 restarted
		wg                            sync.WaitGroup
		stopOnce, restartOnce         sync.Once
		stopNow, restartNow, finished = make(chan struct{}), make(chan struct{}), make(chan struct{})
	)
	deadline := time.Now().Add(maxDuration)
	for range workers {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
			last := 0
			for time.Now().Before(deadline) && afterReqs.Load() < afterStart {
				ph := phase.Load()
				resp, err := c.Get(hs.URL)
				if err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				n := requests.Add(1)
				if n == stopAt {
					stopOnce.Do(func() { close(stopNow) })
				}
				switch ph {
				case 1:
					if downReqs.Add(1) == restartAt {
						restartOnce.Do(func() { close(restartNow) })
					}
				case 3:
					afterReqs.Add(1)
				}
				switch resp.StatusCode {
				case http.StatusOK:
					n, err := strconv.Atoi(strings.TrimSpace(string(body)))
					if err != nil {
						t.Errorf("200 body %q, want a count", body)
						return
					}
					if n <= last {
						lost.Add(int64(last - n + 1))
					}
					last = n
					ok200.Add(1)
					switch ph {
					case 1:
						down200.Add(1)
					case 3:
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
					if err := json.Unmarshal(body, &p); err != nil || p.Status != 503 || p.Rule != "SES031" || !strings.Contains(p.Detail, "postgres") {
						t.Errorf("503 body %q (%v), want a problem naming the postgres store and rule SES031", body, err)
						return
					}
					got503.Add(1)
					if ph == 1 {
						down503.Add(1)
					}
				default:
					t.Errorf("got status %d with body %q, want 200 or 503", resp.StatusCode, body)
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(finished) }()

	stopped := false
	select {
	case <-stopNow:
		srv.stop()
		phase.Store(1)
		stopped = true
	case <-finished:
	}
	if stopped {
		select {
		case <-restartNow:
		case <-finished:
		}
		phase.Store(2) // starting: replaying its WAL, it may or may not answer
		srv.start()
		phase.Store(3)
		restarted.Store(true)
	}
	<-finished
	t.Logf("%d requests: %d answered 200 (acknowledged writes), %d answered 503, %d acknowledged writes lost; "+
		"while down: %d requests, %d answered 503; once it answered again, %d of %d answered 200",
		requests.Load(), ok200.Load(), got503.Load(), lost.Load(), downReqs.Load(), down503.Load(), after200.Load(), afterReqs.Load())
	if !restarted.Load() {
		t.Fatalf("the loop ended before the stop and restart (%d requests in %v)", requests.Load(), maxDuration)
	}
	if down503.Load() == 0 || down200.Load() != 0 {
		t.Errorf("while the server was down: got %d answered 503 and %d answered 200, want only 503s", down503.Load(), down200.Load())
	}
	if lost.Load() != 0 {
		t.Errorf("got %d acknowledged writes lost, want 0", lost.Load())
	}
	if after200.Load() == 0 {
		t.Error("no request answered 200 after the restart, want sessions to work again")
	}
	if err := store.Ping(t.Context()); err != nil {
		t.Errorf("Ping after the restart: %v", err)
	}
}
