package main

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/bench/internal/parse"
)

// startRedis runs a redis-server of the driver's own on a free loopback port,
// without persistence, pinned to cpu.
func startRedis(cpu string) (*proc, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, _, err := start("redis-server", cpu, "", nil, []string{}, "redis-server",
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--daemonize", "no", "--loglevel", "warning", "--maxclients", "1000")
	if err != nil {
		return nil, "", err
	}
	rc := redis.NewClient(&redis.Options{Addr: addr})
	defer rc.Close()
	for range 100 {
		if err = rc.Ping(context.Background()).Err(); err == nil {
			return p, addr, nil
		}
		sleep(50)
	}
	p.stop()
	return nil, "", fmt.Errorf("redis-server on %s does not answer: %w", addr, err)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// commandStats returns the calls of every command so far (INFO
// commandstats), without INFO itself, which the driver sends.
func commandStats(ctx context.Context, rc *redis.Client) (map[string]int64, error) {
	s, err := rc.Info(ctx, "commandstats").Result()
	if err != nil {
		return nil, err
	}
	m := parse.CommandStats(s)
	delete(m, "info")
	return m, nil
}

// usedMemory returns Redis's used_memory in bytes.
func usedMemory(ctx context.Context, rc *redis.Client) (int64, error) {
	s, err := rc.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	return parse.InfoInt(s, "used_memory")
}
