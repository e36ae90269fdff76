package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

// server is one contestant server process.
type server struct {
	name  string // "go" or "express"
	base  string // http://127.0.0.1:PORT
	admin string // the Go server's admin base URL
	p     *proc
}

// target is one load against one contestant, with its samples (one per round).
type target struct {
	srv     *server
	c       contestant.Contestant
	load    check.Load
	cookies string // cookie file
	samples []sample
}

// sample is one wrk run of a target.
type sample struct {
	wrk       wrkResult
	cpu       time.Duration      // server CPU time per request
	redisCPU  time.Duration      // redis-server CPU time per request
	redisCmds map[string]float64 // Redis commands per request, by name (scripts' commands included)
	trips     float64            // requests to Redis (commands or pipelines) per request; -1: not counted
	ratioCPU  float64            // CPU per request of /bare over this one's (same server, same round)
	ratioRPS  float64            // req/s of this one over /bare's
}

// bench is the state of one run.
type bench struct {
	cfg   *config
	redis *proc
	rc    *redis.Client
	rAddr string
	goAll []contestant.Contestant // the Go contestants this run serves (sesame-pg only when PostgreSQL answers)
}

func run(ctx context.Context, cfg *config) error {
	rp, raddr, err := startRedis(cfg.loadCPU)
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, redis: rp, rAddr: raddr, rc: redis.NewClient(&redis.Options{Addr: raddr})}
	defer b.rc.Close()
	logf("redis-server %s (pid %d)", raddr, rp.pid())

	res := &results{cfg: cfg, started: time.Now()}
	res.machine = machine()

	// sesame-pg needs a PostgreSQL server; without one it is left out, and the
	// report says so.
	var only []string
	for _, c := range contestant.All {
		if c.Name == "sesame-pg" {
			if err := contestant.PingPostgres(contestant.PostgresURL(), 3*time.Second); err != nil {
				res.pgSkipped = fmt.Sprintf("sesame-pg was left out: no PostgreSQL answers at %s (start one, or set SESAME_POSTGRES_URL): %v", contestant.PostgresURL(), err)
				logf("%s", res.pgSkipped)
				continue
			}
		}
		b.goAll = append(b.goAll, c)
		only = append(only, c.Name)
	}
	if res.pgSkipped == "" {
		only = nil // every contestant
	}

	goSrv, err := b.startGo(only, 0, false)
	if err != nil {
		return err
	}
	exSrv, err := b.startExpress()
	if err != nil {
		return err
	}

	// Check every endpoint, and log in the sessions the load will use.
	groups := [][]*target{nil, nil}
	for i, g := range []struct {
		srv *server
		cs  []contestant.Contestant
	}{{goSrv, b.goAll}, {exSrv, check.Express}} {
		if err := check.Server(ctx, g.srv.base); err != nil {
			return fmt.Errorf("%s server: %w", g.srv.name, err)
		}
		groups[i] = append(groups[i], &target{srv: g.srv, c: contestant.Contestant{Name: g.srv.name + "-bare", Label: g.srv.name + " /bare"}, load: check.Bare(g.srv.name)})
		for _, c := range g.cs {
			if _, err := check.Contestant(ctx, g.srv.base, c); err != nil {
				return fmt.Errorf("%s does not answer correctly, no load run: %w", c.Name, err)
			}
			file := ""
			if c.Kind == contestant.Floor {
				// The same Cookie headers as sesame's Redis store gets, ignored.
				file = filepath.Join(cfg.work, "cookies-sesame-redis.txt")
			}
			if c.Kind == contestant.Session {
				file = filepath.Join(cfg.work, "cookies-"+c.Name+".txt")
				if err := httpLogins(ctx, g.srv.base, c.Name, cfg.logins, file); err != nil {
					return err
				}
			}
			for _, l := range check.Loads(c.Name, c.Kind) {
				if err := checkLoad(ctx, g.srv.base, l, file); err != nil {
					return err
				}
				groups[i] = append(groups[i], &target{srv: g.srv, c: c, load: l, cookies: file})
			}
		}
	}
	logf("every endpoint answers correctly; %d loads, %d rounds of %s, each after %s of /bare", len(groups[0])+len(groups[1]), cfg.rounds, cfg.dur, cfg.pair)

	// Warm up (JIT, connection pools, caches), then the interleaved rounds.
	for _, g := range groups {
		for i, t := range g {
			if cfg.quick && i > 0 {
				break // quick: warm up each server on /bare only
			}
			if _, err := b.measure(t, cfg.warm); err != nil {
				return err
			}
		}
	}
	for r := range cfg.rounds {
		for _, g := range groups {
			if err := b.round(g); err != nil {
				return err
			}
		}
		logf("round %d of %d done", r+1, cfg.rounds)
	}
	res.main = append(groups[0], groups[1]...)

	// Profile every sesame path that misses its target, while the servers run.
	res.evaluate()
	if cfg.profile && !cfg.quick {
		done := map[*target]bool{}
		for _, m := range res.missed() {
			if m.t == nil || m.t.srv != goSrv || done[m.t] {
				continue
			}
			done[m.t] = true
			top, err := b.profile(m.t)
			if err != nil {
				logf("profile %s: %v", m.t.load.Path, err)
				continue
			}
			res.profiles = append(res.profiles, profile{t: m.t, top: top})
		}
	}
	goSrv.p.stop()
	exSrv.p.stop()

	// Scale: every sesame store with more and more live sessions. A store
	// that fails here is reported, and the others still run.
	for _, name := range scaleStores {
		if _, ok := contestant.Lookup(name); !ok || (name == "sesame-pg" && res.pgSkipped != "") {
			continue
		}
		counts, notes := cfg.scaleCounts(name)
		res.scaleSkipped = append(res.scaleSkipped, notes...)
		for _, n := range counts {
			s, err := b.scale(ctx, name, n)
			if err != nil {
				logf("scale %s at %d sessions: %v", name, n, err)
				msg := strings.SplitN(err.Error(), "\n", 2)[0]
				res.scaleFailed = append(res.scaleFailed, fmt.Sprintf("%s at %d sessions: %s", name, n, msg))
				if s.name != "" { // seeded: its memory per session is still reported
					s.failed = msg
					res.scale = append(res.scale, s)
				}
				break
			}
			res.scale = append(res.scale, s)
		}
	}

	if cfg.micro {
		// A failure here must not lose the load results: it is reported.
		m, err := b.micro()
		if err != nil {
			logf("%v", err)
			res.microErr = err
		}
		res.micro = m
	}
	if cfg.instr {
		res.instr, res.instrErr = b.instr()
		if res.instrErr != nil {
			logf("%v", res.instrErr)
		}
	}
	res.finished = time.Now()
	return res.write()
}

// round measures the targets of one server. g[0] is its /bare; every other
// target is measured right after a run of /bare (cfg.pair long), and its ratios
// are to that run: on a shared machine the load of other processes changes
// within seconds, so the reference is taken as close in time as it can be.
func (b *bench) round(g []*target) error {
	bare := g[0]
	for _, t := range g[1:] {
		// The /bare run sends the same request headers (Cookie, Origin, …) as
		// the target's, so that the ratio holds the library's cost alone, not
		// net/http parsing a longer request.
		pb := *bare
		pb.load.Header, pb.load.Cookies, pb.cookies = t.load.Header, t.load.Cookies, t.cookies
		bs, err := b.measure(&pb, b.cfg.pair)
		if err != nil {
			return err
		}
		bare.samples = append(bare.samples, ratios(bs, bs))
		s, err := b.measure(t, b.cfg.dur)
		if err != nil {
			return err
		}
		t.samples = append(t.samples, ratios(s, bs))
	}
	return nil
}

// ratios sets s's ratios to the /bare sample bare.
func ratios(s, bare sample) sample {
	if s.cpu > 0 {
		s.ratioCPU = float64(bare.cpu) / float64(s.cpu)
	}
	if bare.wrk.RPS() > 0 {
		s.ratioRPS = s.wrk.RPS() / bare.wrk.RPS()
	}
	return s
}

// measure runs one wrk run of t, again (up to twice, after a pause) when it
// completed no request or lost more than 1% of them to socket errors: on a
// machine shared with other work a stall of a few seconds happens, and one
// should not end a 15-minute run. A server that stops answering /bare for 30
// seconds ends it, with its goroutines saved for diagnosis.
func (b *bench) measure(t *target, d time.Duration) (sample, error) {
	var s sample
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			logf("%s %s: retrying after a pause", t.load.Method, t.load.Path)
			if err := b.waitAlive(t.srv); err != nil {
				return sample{}, err
			}
		}
		s, err = b.measureOnce(t, d)
		if err == nil && s.wrk.Requests > 0 && s.wrk.Errors*100 <= s.wrk.Requests {
			return s, nil
		}
		if err == nil {
			logf("%s %s: %d requests, %d socket errors, %d non-2xx", t.load.Method, t.load.Path, s.wrk.Requests, s.wrk.Errors, s.wrk.Status)
		} else {
			logf("%v", err)
		}
	}
	if err != nil {
		return sample{}, err
	}
	if s.wrk.Requests == 0 {
		return sample{}, fmt.Errorf("%s %s: wrk completed no request in 3 attempts", t.load.Method, t.load.Path)
	}
	return s, nil // kept, and flagged in the report by its errors
}

// waitAlive pauses, then waits up to 30 seconds for srv to answer /bare.
func (b *bench) waitAlive(srv *server) error {
	time.Sleep(3 * time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := check.Server(ctx, srv.base)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			if srv.admin != "" {
				dump := filepath.Join(b.cfg.work, "goroutines.txt")
				if res, gerr := http.Get(srv.admin + "/debug/pprof/goroutine?debug=2"); gerr == nil {
					if f, ferr := os.Create(dump); ferr == nil {
						io.Copy(f, res.Body)
						f.Close()
					}
					res.Body.Close()
				}
				return fmt.Errorf("%s server stopped answering (goroutines in %s): %w", srv.name, dump, err)
			}
			return fmt.Errorf("%s server stopped answering: %w", srv.name, err)
		}
		time.Sleep(time.Second)
	}
}

// measureOnce runs wrk against t for d and reads the server's and Redis's CPU
// time and Redis's command counts around it.
func (b *bench) measureOnce(t *target, d time.Duration) (sample, error) {
	ctx := context.Background()
	st0, err := commandStats(ctx, b.rc)
	if err != nil {
		return sample{}, err
	}
	t0, err := t.srv.roundTrips()
	if err != nil {
		return sample{}, err
	}
	c0, err := cpuTicks(t.srv.p.pid())
	if err != nil {
		return sample{}, err
	}
	r0, err := cpuTicks(b.redis.pid())
	if err != nil {
		return sample{}, err
	}
	w, err := runWrk(b.cfg, t.srv.base, t.load, t.cookies, d)
	if err != nil {
		return sample{}, err
	}
	c1, err := cpuTicks(t.srv.p.pid())
	if err != nil {
		return sample{}, err
	}
	r1, err := cpuTicks(b.redis.pid())
	if err != nil {
		return sample{}, err
	}
	st1, err := commandStats(ctx, b.rc)
	if err != nil {
		return sample{}, err
	}
	t1, err := t.srv.roundTrips()
	if err != nil {
		return sample{}, err
	}
	if w.Requests == 0 {
		return sample{}, fmt.Errorf("%s %s: wrk completed no request", t.load.Method, t.load.Path)
	}
	if w.Status > 0 || w.Errors > 0 {
		logf("%s %s: %d non-2xx answers, %d socket errors out of %d", t.load.Method, t.load.Path, w.Status, w.Errors, w.Requests)
	}
	n := float64(w.Requests)
	tick := time.Duration(float64(time.Second) / b.cfg.ticks)
	s := sample{
		wrk:       w,
		cpu:       time.Duration(float64(c1-c0) * float64(tick) / n),
		redisCPU:  time.Duration(float64(r1-r0) * float64(tick) / n),
		redisCmds: map[string]float64{},
		trips:     -1,
	}
	total := 0.0
	for k, v := range st1 {
		if d := v - st0[k]; d > 0 {
			s.redisCmds[k] = float64(d) / n
			total += float64(d) / n
		}
	}
	switch {
	case t0 >= 0:
		s.trips = float64(t1-t0) / n
	case t.srv.name == "express":
		// connect-redis runs no scripts: each command is one round trip.
		s.trips = total
	}
	return s, nil
}

// roundTrips returns the Redis round trips the Go server has made so far,
// or -1 for a server that does not count them.
func (s *server) roundTrips() (int64, error) {
	if s.admin == "" {
		return -1, nil
	}
	res, err := http.Get(s.admin + "/stats")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var n int64
	if _, err := fmt.Fscanf(res.Body, "redis-round-trips %d", &n); err != nil {
		return 0, fmt.Errorf("%s/stats: %w", s.admin, err)
	}
	return n, nil
}

// startGo starts bench/cmd/server; only, when not empty, limits its
// contestants. Its bbolt file starts empty unless keepBolt (seeded already).
func (b *bench) startGo(only []string, maxEntries int, keepBolt bool) (*server, error) {
	bolt := b.boltPath()
	if !keepBolt {
		os.Remove(bolt)
	}
	args := []string{b.cfg.server, "-addr", "127.0.0.1:0", "-admin", "127.0.0.1:0", "-redis", b.rAddr, "-bolt", bolt}
	if len(only) > 0 {
		args = append(args, "-only", strings.Join(only, ","))
	}
	if maxEntries > 0 {
		args = append(args, "-mem-max", fmt.Sprint(maxEntries))
	}
	p, got, err := start("go server", b.cfg.serverCPU, b.cfg.dir, nil, []string{"listening ", "admin "}, args...)
	if err != nil {
		return nil, err
	}
	s := &server{name: "go", base: "http://127.0.0.1:" + got["listening "], admin: "http://127.0.0.1:" + got["admin "], p: p}
	logf("go server %s (pid %d)", s.base, p.pid())
	return s, nil
}

func (b *bench) startExpress() (*server, error) {
	p, got, err := start("express server", b.cfg.serverCPU, filepath.Join(b.cfg.dir, "express"),
		[]string{"PORT=0", "REDIS_URL=redis://" + b.rAddr, "PREFIX=bench:", "NODE_ENV=production"},
		[]string{"listening "}, "node", "server.js")
	if err != nil {
		return nil, err
	}
	s := &server{name: "express", base: "http://127.0.0.1:" + got["listening "], p: p}
	logf("express server %s (pid %d)", s.base, p.pid())
	return s, nil
}

// httpLogins logs in n sessions of contestant name over HTTP and writes their
// cookies to file, one per line.
func httpLogins(ctx context.Context, base, name string, n int, file string) error {
	cookies := make([]string, n)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/"+name+"/login", nil)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					errs <- fmt.Errorf("POST /%s/login: got %d, want 200", name, res.StatusCode)
					return
				}
				c, err := contestant.CookieHeader(res)
				if err != nil {
					errs <- fmt.Errorf("POST /%s/login: %w", name, err)
					return
				}
				cookies[i] = c
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	for _, c := range cookies {
		fmt.Fprintln(bw, c)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkLoad sends the load's request once, with the first cookie of the file.
func checkLoad(ctx context.Context, base string, l check.Load, file string) error {
	cookie := ""
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 64<<10)
		if sc.Scan() {
			cookie = sc.Text()
		}
		f.Close()
	}
	return check.Request(ctx, base, l, cookie)
}

// median returns the median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// boltPath is sesame-bolt's database file.
func (b *bench) boltPath() string { return filepath.Join(b.cfg.work, "sesame-bolt.db") }
