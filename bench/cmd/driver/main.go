// Command driver runs sesame's side-by-side benchmark (make bench, through
// bench/run.sh) and writes bench/results.md.
//
// It starts a redis-server of its own, the Go contestants (bench/cmd/server)
// and the Express contestants (bench/express/server.js), checks that every
// endpoint answers correctly, then loads each endpoint with wrk in interleaved
// rounds (A B C … A B C …). The server runs on one CPU, wrk and redis-server on
// the other (taskset), so server and load generator never share a core.
// For every run it records req/s, p99 latency, the server's CPU time per
// request (utime+stime from /proc/PID/stat), Redis commands per request (INFO
// commandstats) and Redis CPU per request, each also as a ratio to /bare
// measured on the same server in the same round. Then it fills each of sesame's
// stores (memory, Redis, bbolt, PostgreSQL, MongoDB) with up to a million
// sessions and reports the memory or storage per session and the cost per
// request at each size (scale; sesame-pg only when a PostgreSQL answers at
// SESAME_POSTGRES_URL or on loopback), runs the in-process
// micro-benchmarks (go test -bench), counts the instructions per request of
// sesame's paths under valgrind's callgrind (bench/cmd/instr), profiles every
// sesame path that misses its target, and writes the report. Every process it starts is stopped by PID.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	dir       string // the bench module
	work      string // scratch files: cookies, bbolt file, profiles
	out       string // the report
	server    string // the Go server binary
	quick     bool
	rounds    int
	dur       time.Duration // one run of a target
	pair      time.Duration // the run of /bare before each target run
	warm      time.Duration
	conns     int
	logins    int            // sessions per contestant in the main table
	scale     []int          // live sessions in the scale runs
	scaleSet  bool           // -scale given: every store runs every count
	scaleMax  map[string]int // per store: the largest count run (-scale-max)
	micro     bool
	instr     bool
	benchtime string
	profile   bool

	serverCPU, loadCPU string
	script             string
	ticks              float64
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	cfg := &config{}
	flag.StringVar(&cfg.dir, "dir", ".", "the bench module directory")
	flag.StringVar(&cfg.work, "work", "out", "scratch directory (relative to -dir)")
	flag.StringVar(&cfg.out, "out", "results.md", "report file (relative to -dir)")
	flag.StringVar(&cfg.server, "server", "", "the bench/cmd/server binary (required)")
	flag.BoolVar(&cfg.quick, "quick", os.Getenv("BENCH_QUICK") == "1", "a ~5-minute run: 1 round of 1s, scale up to 100k (10k for bbolt and MongoDB), no profiles (default from BENCH_QUICK=1)")
	flag.IntVar(&cfg.conns, "c", 32, "wrk connections")
	rounds := flag.Int("rounds", 0, "rounds (default 3, quick 1)")
	dur := flag.Duration("d", 0, "duration of one wrk run, whole seconds (default 3s, quick 1s)")
	scale := flag.String("scale", "", "comma-separated session counts for the scale runs of every store (default 1000,100000,1000000; quick 1000,100000, and 1000,10000 for sesame-bolt and sesame-mongo)")
	scaleMax := flag.String("scale-max", "", "comma-separated store=count pairs capping a store's scale runs, e.g. sesame-redis=100000 where seeding a million sessions would take too long on a busy machine (the report says so); sesame-bolt is capped at 100000 and sesame-mongo on the embedded FerretDB at 10000 unless named here")
	flag.BoolVar(&cfg.micro, "micro", true, "run the go test -bench micro-benchmarks")
	flag.BoolVar(&cfg.instr, "instr", true, "count instructions per request of sesame's paths under valgrind's callgrind")
	flag.BoolVar(&cfg.profile, "profile", true, "CPU-profile every sesame path that misses its target (not in quick mode)")
	flag.StringVar(&cfg.serverCPU, "server-cpu", "0", "CPU list for the servers (taskset -c)")
	flag.StringVar(&cfg.loadCPU, "load-cpu", "1", "CPU list for wrk and redis-server (taskset -c)")
	flag.Parse()
	if cfg.server == "" {
		log.Fatal("-server is required (go build -o … ./cmd/server)")
	}

	cfg.rounds, cfg.dur, cfg.pair, cfg.warm, cfg.logins, cfg.benchtime = 3, 3*time.Second, time.Second, time.Second, 1000, "1s"
	cfg.scale = []int{1000, 100_000, 1_000_000}
	if cfg.quick {
		cfg.rounds, cfg.dur, cfg.pair, cfg.warm, cfg.logins, cfg.benchtime = 1, time.Second, time.Second, time.Second, 1000, "100ms"
		cfg.scale = []int{1000, 100_000}
	}
	if *rounds > 0 {
		cfg.rounds = *rounds
	}
	if *dur > 0 {
		cfg.dur = *dur
	}
	if *scale != "" {
		cfg.scaleSet = true
		cfg.scale = nil
		for f := range strings.SplitSeq(*scale, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				log.Fatalf("-scale: %q is not a positive count", f)
			}
			cfg.scale = append(cfg.scale, n)
		}
	}
	cfg.scaleMax = map[string]int{}
	if *scaleMax != "" {
		for f := range strings.SplitSeq(*scaleMax, ",") {
			name, count, _ := strings.Cut(strings.TrimSpace(f), "=")
			n, err := strconv.Atoi(count)
			if err != nil || n < 1 {
				log.Fatalf("-scale-max: %q is not store=count", f)
			}
			cfg.scaleMax[name] = n
		}
	}
	var err error
	if cfg.dir, err = filepath.Abs(cfg.dir); err != nil {
		log.Fatal(err)
	}
	cfg.work = filepath.Join(cfg.dir, cfg.work)
	cfg.out = filepath.Join(cfg.dir, cfg.out)
	if err := os.MkdirAll(cfg.work, 0o755); err != nil {
		log.Fatal(err)
	}
	cfg.script = filepath.Join(cfg.work, "load.lua")
	if err := os.WriteFile(cfg.script, []byte(luaScript), 0o644); err != nil {
		log.Fatal(err)
	}
	cfg.ticks = clockTicks()

	// Every process started is stopped by PID, on return and on a signal.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		log.Print("interrupted: stopping what was started")
		stopAll()
		os.Exit(130)
	}()

	start := time.Now()
	err = run(context.Background(), cfg)
	stopAll()
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("done in %s: %s", time.Since(start).Round(time.Second), cfg.out)
}

func sleep(ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
