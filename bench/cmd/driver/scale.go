package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

// scaleResult is one store filled with n live sessions.
type scaleResult struct {
	name       string
	n          int
	memory     int64 // bytes the sessions took: server RSS (memory) or Redis used_memory
	seed       time.Duration
	bare, read *target
	write      *target
}

func (s scaleResult) perSession() float64 { return float64(s.memory) / float64(s.n) }

// scale starts a server with only contestant name, fills its store with n
// sessions in process, measures the memory they take, and loads read and write
// with cookies picked at random from all n.
func (b *bench) scale(ctx context.Context, name string, n int) (scaleResult, error) {
	isRedis := name == "sesame-redis"
	if isRedis {
		if err := b.rc.FlushAll(ctx).Err(); err != nil {
			return scaleResult{}, err
		}
	}
	srv, err := b.startGo(name, 2*slices.Max(b.cfg.scale))
	if err != nil {
		return scaleResult{}, err
	}
	defer srv.p.stop()
	mem := func() (int64, error) {
		if err := post(srv.admin + "/gc"); err != nil {
			return 0, err
		}
		if isRedis {
			return usedMemory(ctx, b.rc)
		}
		return rss(srv.p.pid())
	}
	m0, err := mem()
	if err != nil {
		return scaleResult{}, err
	}
	file := filepath.Join(b.cfg.work, fmt.Sprintf("cookies-%s-%d.txt", name, n))
	q := url.Values{"name": {name}, "n": {fmt.Sprint(n)}, "out": {file}}
	start := time.Now()
	if err := post(srv.admin + "/seed?" + q.Encode()); err != nil {
		return scaleResult{}, fmt.Errorf("seeding %d sessions of %s: %w", n, name, err)
	}
	seed := time.Since(start)
	m1, err := mem()
	if err != nil {
		return scaleResult{}, err
	}
	logf("scale %s: %d sessions seeded in %s, %.0f bytes each", name, n, seed.Round(time.Millisecond), float64(m1-m0)/float64(n))

	c, _ := contestant.Lookup(name)
	loads := check.Loads(name, contestant.Session)
	g := []*target{
		{srv: srv, c: contestant.Contestant{Name: "go-bare"}, load: check.Bare("go")},
		{srv: srv, c: c, load: loads[0], cookies: file},
		{srv: srv, c: c, load: loads[1], cookies: file},
	}
	for i, t := range g {
		if err := checkLoad(ctx, srv.base, t.load, t.cookies); err != nil {
			return scaleResult{}, err
		}
		if b.cfg.quick && i > 0 {
			continue // quick: warm up on /bare only
		}
		if _, err := b.measure(t, b.cfg.warm); err != nil {
			return scaleResult{}, err
		}
	}
	for range b.cfg.rounds {
		if err := b.round(g); err != nil {
			return scaleResult{}, err
		}
	}
	return scaleResult{name: name, n: n, memory: m1 - m0, seed: seed, bare: g[0], read: g[1], write: g[2]}, nil
}

// post sends an admin request and fails unless it answers 200.
func post(u string) error {
	res, err := http.Post(u, "text/plain", nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != 200 {
		return fmt.Errorf("POST %s: %d %s", u, res.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}
