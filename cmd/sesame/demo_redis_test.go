package main_test

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startRedis runs a private redis-server on a free loopback port and returns its
// address and the command, whose process the test stops by PID. extra flags are
// passed on; the server runs in dir.
func startRedis(t *testing.T, dir string, extra ...string) (string, *exec.Cmd) {
	t.Helper()
	port := freePort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := exec.Command("redis-server", append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no"}, extra...)...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v (install it: apt-get install redis-server)", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	waitFor(t, "redis-server on "+addr, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return addr, cmd
}

// waitFor polls cond until it holds or ten seconds pass. It waits for another
// process; it asserts nothing about speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// freePort returns a loopback port that is free, and whose Redis Cluster bus port
// (port+10000) is free too.
func freePort(t *testing.T) int {
	t.Helper()
	for range 50 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port+10000 > 65535 {
			continue
		}
		if bus, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port+10000)); err == nil {
			bus.Close()
			return port
		}
	}
	t.Fatal("no free loopback port pair")
	return 0
}

func TestReadyzFollowsTheStore(t *testing.T) {
	addr, redis := startRedis(t, t.TempDir())
	srv := demoServer(t, fmt.Sprintf("--store=redis://%s", addr))
	b := newBrowser(t, srv)
	b.want("GET", "/readyz", nil, 200)
	b.login("alice", "wonderland")

	redis.Process.Kill() // by PID: this test's own redis-server
	redis.Wait()
	b.want("GET", "/readyz", nil, 503)
	b.want("GET", "/healthz", nil, 200) // alive, only not ready
	// A session request meets the outage as a 503 naming the store, never as a
	// signed-out user.
	r := b.want("GET", "/api/me", nil, 503)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("store outage Content-Type: got %q, want application/problem+json", ct)
	}
}

// The demo on a real three-node Redis Cluster, given two of the nodes: the sessions
// of one user hash to slots on different nodes, and "list my sessions" and "sign
// out everywhere" still find them all.
func TestRedisCluster(t *testing.T) {
	dir := t.TempDir()
	var addrs []string
	for range 3 {
		addr, _ := startRedis(t, dir, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-"+strconv.Itoa(len(addrs))+".conf")
		addrs = append(addrs, addr)
	}
	create := exec.Command("redis-cli", append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")...)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	waitFor(t, "cluster_state:ok", func() bool {
		for _, a := range addrs {
			out, _ := exec.Command("redis-cli", "-h", "127.0.0.1", "-p", a[strings.LastIndexByte(a, ':')+1:], "cluster", "info").Output()
			if !strings.Contains(string(out), "cluster_state:ok") {
				return false
			}
		}
		return true
	})

	srv := demoServer(t, "--store=redis-cluster://"+strings.Join(addrs[:2], ","))
	browsers := make([]*browser, 6)
	for i := range browsers {
		browsers[i] = newBrowser(t, srv)
		browsers[i].login("alice", "wonderland")
		browsers[i].want("PUT", "/api/prefs/n", map[string]any{"value": i}, 204)
	}
	if got := len(browsers[0].want("GET", "/api/sessions", nil, 200).body["sessions"].([]any)); got != len(browsers) {
		t.Fatalf("alice's sessions on the cluster: got %d, want %d", got, len(browsers))
	}
	browsers[0].want("DELETE", "/api/sessions", nil, 204)
	for i, b := range browsers {
		if r := b.do("GET", "/api/me", nil); r.status != 401 {
			t.Errorf("browser %d after sign out everywhere: got %d, want 401", i, r.status)
		}
	}
}
