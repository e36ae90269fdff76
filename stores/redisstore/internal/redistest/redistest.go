// Package redistest starts and stops real redis-server processes for the tests of
// redisstore: a single server on a free loopback port, which a test may kill and
// restart on the same port, and a three-master Redis Cluster. Every process is
// started by the test that uses it and stopped by PID in t.Cleanup.
package redistest

import (
	"bytes"
	"context"
	"crypto/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// SharedAddr is the address of the machine's Redis: $SESAME_REDIS_ADDR, or
// 127.0.0.1:6379.
func SharedAddr() string {
	if a := os.Getenv("SESAME_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// Options are the client options the tests use: context deadlines honoured and
// short timeouts, as the package doc recommends.
func Options(addr string) *redis.Options {
	return &redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		DialTimeout:           500 * time.Millisecond,
		ReadTimeout:           500 * time.Millisecond,
		WriteTimeout:          500 * time.Millisecond,
		PoolTimeout:           time.Second,
		MaxRetries:            1,
		DialerRetries:         1,
	}
}

// Shared returns a client of the machine's Redis, or fails the test saying what
// to start.
func Shared(t testing.TB) *redis.Client {
	t.Helper()
	addr := SharedAddr()
	c := redis.NewClient(Options(addr))
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("no Redis at %s (%v): start one (apt-get install redis-server; redis-server --daemonize yes) or set SESAME_REDIS_ADDR", addr, err)
	}
	return c
}

// UniquePrefix returns a key prefix no other test run uses, and deletes every key
// under it when the test ends.
func UniquePrefix(t testing.TB, c redis.UniversalClient) string {
	t.Helper()
	prefix := "sesametest:" + rand.Text()[:12] + ":"
	t.Cleanup(func() { DeletePrefix(t, c, prefix) })
	return prefix
}

// DeletePrefix removes every key that starts with prefix, on every primary.
func DeletePrefix(t testing.TB, c redis.UniversalClient, prefix string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	del := func(ctx context.Context, n redis.Cmdable) error {
		iter := n.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			if err := n.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	var err error
	switch c := c.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return del(ctx, n) })
	default:
		err = del(ctx, c)
	}
	if err != nil {
		t.Errorf("cleaning up keys under %q: %v", prefix, err)
	}
}

// A Server is a redis-server process this test started.
type Server struct {
	t    testing.TB
	dir  string
	port int
	args []string
	conf string // a config file to start with (sentinels need one), or ""

	mu  sync.Mutex
	cmd *exec.Cmd
	out *bytes.Buffer
}

// Addr is the server's loopback address.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.port }

// StartServer starts a redis-server without persistence on a free loopback port,
// with extra arguments, and stops it when the test ends.
func StartServer(t testing.TB, extra ...string) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server is not installed (apt-get install redis-server): %v", err)
	}
	s := &Server{t: t, dir: t.TempDir(), port: freePort(t), args: extra}
	s.Start()
	t.Cleanup(s.Kill)
	return s
}

// Start starts the server process (again) on its port and waits until it
// answers PING.
func (s *Server) Start() {
	s.t.Helper()
	args := append([]string{
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--daemonize", "no",
	}, s.args...)
	if s.conf != "" {
		args = append([]string{s.conf}, args...)
	}
	cmd := exec.Command("redis-server", args...)
	out := new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server on port %d: %v", s.port, err)
	}
	s.mu.Lock()
	s.cmd, s.out = cmd, out
	s.mu.Unlock()
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.Kill()
			s.t.Fatalf("redis-server on port %d did not answer within 10s: %v\n%s", s.port, err, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL to its PID), as a crash would, and
// waits for the process to end. Killing a stopped server does nothing.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// Pause stops the server process (SIGSTOP) without closing its sockets: the
// kernel still accepts connections and requests, and nothing answers, like a
// Redis stuck on a slow disk or behind a network partition.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		s.t.Fatalf("redis-server on port %d is not running", s.port)
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("signalling redis-server (pid %d): %v", s.cmd.Process.Pid, err)
	}
}

// StartCluster starts a Redis Cluster of n masters without replicas on free
// loopback ports, waits until every node reports cluster_state:ok, and stops the
// nodes when the test ends.
func StartCluster(t testing.TB, n int) []*Server {
	t.Helper()
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Fatalf("redis-cli is not installed (apt-get install redis-tools): %v", err)
	}
	dir := t.TempDir()
	nodes := make([]*Server, n)
	create := []string{"--cluster", "create"}
	for i := range nodes {
		port := freePort(t)
		nodes[i] = StartServer(t,
			"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes-"+strconv.Itoa(port)+".conf"),
			"--cluster-node-timeout", "2000")
		create = append(create, nodes[i].Addr())
	}
	create = append(create, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.Command("redis-cli", create...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, node := range nodes {
		c := redis.NewClient(&redis.Options{Addr: node.Addr()})
		for {
			info, err := c.ClusterInfo(context.Background()).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				_ = c.Close()
				t.Fatalf("cluster node %s not ok within 20s: %v\n%s", node.Addr(), err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
		_ = c.Close()
	}
	return nodes
}

// ClusterClient returns a client of the cluster whose nodes are given, closed
// when the test ends.
func ClusterClient(t testing.TB, nodes []*Server) *redis.ClusterClient {
	t.Helper()
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.Addr()
	}
	o := Options("")
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs:                 addrs,
		ContextTimeoutEnabled: true,
		DialTimeout:           o.DialTimeout,
		ReadTimeout:           o.ReadTimeout,
		WriteTimeout:          o.WriteTimeout,
		PoolTimeout:           o.PoolTimeout,
		MaxRetries:            o.MaxRetries,
		DialerRetries:         o.DialerRetries,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// freePort returns a loopback TCP port nobody listens on, whose cluster bus port
// (port+10000) is free too.
func freePort(t testing.TB) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if port+10000 > 65535 {
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		if err != nil {
			continue
		}
		_ = bus.Close()
		return port
	}
	t.Fatal("no free loopback port pair found")
	return 0
}

// Pid is the server process's PID, 0 when it is not running.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// StartReplica starts a redis-server replicating primary and waits until its
// link to the primary is up.
func StartReplica(t testing.TB, primary *Server) *Server {
	t.Helper()
	r := StartServer(t, "--replicaof", "127.0.0.1", strconv.Itoa(primary.Port()))
	c := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := c.Info(context.Background(), "replication").Result()
		if err == nil && strings.Contains(info, "master_link_status:up") {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica %s not linked to %s within 10s: %v\n%s", r.Addr(), primary.Addr(), err, info)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// StartSentinel starts a Redis Sentinel (redis-server --sentinel) monitoring
// primary under name, with quorum 1 and a one-second down-after period, so that
// a failover starts about a second after the primary dies.
func StartSentinel(t testing.TB, name string, primary *Server) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server is not installed (apt-get install redis-server): %v", err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	body := "sentinel monitor " + name + " 127.0.0.1 " + strconv.Itoa(primary.Port()) + " 1\n" +
		"sentinel down-after-milliseconds " + name + " 1000\n" +
		"sentinel failover-timeout " + name + " 10000\n" +
		"sentinel parallel-syncs " + name + " 1\n"
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, dir: dir, port: freePort(t), conf: conf, args: []string{"--sentinel"}}
	s.Start()
	t.Cleanup(s.Kill)
	return s
}
