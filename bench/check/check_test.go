package check_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

func redisAddr() string {
	if a := os.Getenv("SESAME_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// prefix keeps this run's keys apart from any other user of the shared Redis,
// and deletes them when the test ends.
func prefix(t *testing.T) string {
	b := make([]byte, 6)
	rand.Read(b)
	p := "benchtest:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		rc := redis.NewClient(&redis.Options{Addr: redisAddr()})
		defer rc.Close()
		ctx := context.Background()
		iter := rc.Scan(ctx, 0, p+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rc.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("deleting the test's keys from Redis: %v", err)
		}
	})
	return p
}

func TestGoContestants(t *testing.T) {
	srv, err := contestant.New(contestant.Options{
		RedisAddr: redisAddr(),
		Prefix:    prefix(t),
		BoltPath:  filepath.Join(t.TempDir(), "bench.db"),
	})
	if err != nil {
		t.Fatalf("contestant.New: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	ctx := t.Context()
	if err := check.Server(ctx, ts.URL); err != nil {
		t.Fatal(err)
	}
	for _, c := range contestant.All {
		t.Run(c.Name, func(t *testing.T) {
			if _, err := check.Contestant(ctx, ts.URL, c); err != nil {
				t.Errorf("got %v, want every endpoint right", err)
			}
		})
	}
}

func TestExpressContestants(t *testing.T) {
	dir, err := filepath.Abs("../express")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Fatalf("bench/express has no node_modules: run `npm ci --prefix bench/express` (make node-deps): %v", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not found: install Node.js (apt-get install nodejs): %v", err)
	}
	base := startExpress(t, node, dir)
	ctx := t.Context()
	if err := check.Server(ctx, base); err != nil {
		t.Fatal(err)
	}
	for _, c := range check.Express {
		t.Run(c.Name, func(t *testing.T) {
			if _, err := check.Contestant(ctx, base, c); err != nil {
				t.Errorf("got %v, want every endpoint right", err)
			}
		})
	}
}

// startExpress runs bench/express/server.js on a free port and stops it (by
// its PID, through the *exec.Cmd) when the test ends.
func startExpress(t *testing.T, node, dir string) string {
	t.Helper()
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT=0", "REDIS_URL=redis://"+redisAddr(), "PREFIX="+prefix(t))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-time.After(15 * time.Second):
		t.Fatalf("node server.js did not print \"listening PORT\" within 15s (is Redis at %s running?)", redisAddr())
	}
	return ""
}
