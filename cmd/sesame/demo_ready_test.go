package main_test

import (
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"
)

// startRedis runs a private redis-server on a free loopback port and returns its
// address and the command, whose process the test stops by PID.
func startRedis(t *testing.T) (string, *exec.Cmd) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
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

func TestReadyzFollowsTheStore(t *testing.T) {
	addr, redis := startRedis(t)
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
