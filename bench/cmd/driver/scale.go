package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

// scaleStores are the stores of the scale runs, in the report's order.
var scaleStores = []string{"sesame-mem", "sesame-redis", "sesame-bolt", "sesame-pg", "sesame-mongo"}

// slowSeed lists the stores whose scale runs stop at 10,000 sessions in quick
// mode: their seeding (bbolt: one transaction per session) or their requests
// (the embedded FerretDB) take seconds per ten thousand sessions.
var slowSeed = map[string]bool{"sesame-bolt": true, "sesame-mongo": true}

// defaultCaps are the -scale-max values a store gets unless the flag names it,
// with the reason the report gives.
func defaultCaps() map[string]struct {
	n   int
	why string
} {
	caps := map[string]struct {
		n   int
		why string
	}{
		"sesame-bolt": {100_000, "filling a bbolt file costs one transaction per session (about 0.3 ms on tmpfs, more as the file grows): a million would take several minutes"},
	}
	if os.Getenv("SESAME_MONGODB_URL") == "" {
		caps["sesame-mongo"] = struct {
			n   int
			why string
		}{10_000, "the embedded FerretDB v1 answers a find by _id with a scan of its SQLite table (query plan: SCAN), so each request costs about 2 µs per stored session and wrk's 2 s timeout is passed beyond a few tens of thousands; set SESAME_MONGODB_URL to a MongoDB server and -scale-max sesame-mongo=1000000 to measure the store itself"}
	}
	return caps
}

// scaleCounts returns the session counts of name's scale runs and a note for
// each count left out.
func (cfg *config) scaleCounts(name string) ([]int, []string) {
	counts := cfg.scale
	var notes []string
	if cfg.quick && slowSeed[name] && !cfg.scaleSet {
		var dropped []string
		for _, n := range counts {
			if n > 10_000 {
				dropped = append(dropped, fmt.Sprint(n))
			}
		}
		counts = []int{1000, 10_000}
		if len(dropped) > 0 {
			notes = append(notes, fmt.Sprintf("%s at %s sessions (quick mode runs it at 1000 and 10000)", name, strings.Join(dropped, ", ")))
		}
	}
	limit, flagged := cfg.scaleMax[name]
	why := fmt.Sprintf("-scale-max %s=%d", name, limit)
	if c, ok := defaultCaps()[name]; ok && !flagged {
		limit, why = c.n, fmt.Sprintf("capped at %d by default: %s", c.n, c.why)
	}
	var out []int
	for _, n := range counts {
		if limit > 0 && n > limit {
			notes = append(notes, fmt.Sprintf("%s at %d sessions (%s)", name, n, why))
			continue
		}
		out = append(out, n)
	}
	return out, notes
}

// scaleResult is one store filled with n live sessions.
type scaleResult struct {
	name       string
	n          int
	memory     int64 // bytes the sessions took (see storageHow)
	seed       time.Duration
	bare, read *target
	write      *target
	failed     string // why the load runs failed after seeding ("" when they ran)
}

func (s scaleResult) perSession() float64 { return float64(s.memory) / float64(s.n) }

// storageHow says how the memory (or storage) of each store is measured.
var storageHow = map[string]string{
	"sesame-mem":   "server RSS growth after a GC",
	"sesame-redis": "Redis used_memory growth",
	"sesame-bolt":  "bbolt file growth (Tx.Size, the allocated high-water mark, after the last transaction committed)",
	"sesame-pg":    "pg_total_relation_size growth of the sessions table (heap, TOAST, indexes), after VACUUM ANALYZE",
	"sesame-mongo": "collStats totalSize growth (documents and indexes)",
}

// scale starts a server with only contestant name, fills its store with n
// sessions (in process, or for bbolt before the server opens the file),
// measures the memory or storage they take, and loads read and write with
// cookies picked at random from all n.
func (b *bench) scale(ctx context.Context, name string, n int) (scaleResult, error) {
	file := filepath.Join(b.cfg.work, fmt.Sprintf("cookies-%s-%d.txt", name, n))
	var boltSeed contestant.BoltSeed
	var seed time.Duration
	if name == "sesame-bolt" {
		os.Remove(b.boltPath())
		start := time.Now()
		var err error
		boltSeed, err = seedBolt(ctx, b.boltPath(), stageDir(b.cfg.work), n, file)
		if err != nil {
			return scaleResult{}, fmt.Errorf("seeding %d sessions of %s: %w", n, name, err)
		}
		seed = time.Since(start)
	}
	if name == "sesame-redis" {
		if err := b.rc.FlushAll(ctx).Err(); err != nil {
			return scaleResult{}, err
		}
	}
	srv, err := b.startGo([]string{name}, 2*slices.Max(b.cfg.scale), name == "sesame-bolt")
	if err != nil {
		return scaleResult{}, err
	}
	defer srv.p.stop()
	mem := func() (int64, error) {
		switch name {
		case "sesame-mem":
			if err := post(srv.admin + "/gc"); err != nil {
				return 0, err
			}
			return rss(srv.p.pid())
		case "sesame-redis":
			return usedMemory(ctx, b.rc)
		}
		return storage(srv.admin, name)
	}
	var m0, m1 int64
	if name == "sesame-bolt" {
		m0, m1 = boltSeed.Empty, boltSeed.Full
	} else {
		if m0, err = mem(); err != nil {
			return scaleResult{}, err
		}
		q := url.Values{"name": {name}, "n": {fmt.Sprint(n)}, "out": {file}}
		start := time.Now()
		if err := post(srv.admin + "/seed?" + q.Encode()); err != nil {
			return scaleResult{}, fmt.Errorf("seeding %d sessions of %s: %w", n, name, err)
		}
		seed = time.Since(start)
		if m1, err = mem(); err != nil {
			return scaleResult{}, err
		}
	}
	logf("scale %s: %d sessions seeded in %s, %.0f bytes each (%s)", name, n, seed.Round(time.Millisecond), float64(m1-m0)/float64(n), storageHow[name])

	res := scaleResult{name: name, n: n, memory: m1 - m0, seed: seed}
	c, _ := contestant.Lookup(name)
	loads := check.Loads(name, contestant.Session)
	g := []*target{
		{srv: srv, c: contestant.Contestant{Name: "go-bare"}, load: check.Bare("go")},
		{srv: srv, c: c, load: loads[0], cookies: file},
		{srv: srv, c: c, load: loads[1], cookies: file},
	}
	// From here a failure keeps the seeding figures: the row is reported
	// with the error in place of the load columns.
	for i, t := range g {
		if err := checkLoad(ctx, srv.base, t.load, t.cookies); err != nil {
			return res, err
		}
		if b.cfg.quick && i > 0 {
			continue // quick: warm up on /bare only
		}
		if _, err := b.measure(t, b.cfg.warm); err != nil {
			return res, err
		}
	}
	for range b.cfg.rounds {
		if err := b.round(g); err != nil {
			return res, err
		}
	}
	res.bare, res.read, res.write = g[0], g[1], g[2]
	return res, nil
}

// seedBolt fills the bbolt file at path before a server opens it, writing
// the cookies to file.
func seedBolt(ctx context.Context, path, stage string, n int, file string) (contestant.BoltSeed, error) {
	f, err := os.Create(file)
	if err != nil {
		return contestant.BoltSeed{}, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	s, err := contestant.SeedBolt(ctx, path, stage, n, bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return s, err
}

// stageDir is where the bbolt file is filled before it is copied into place:
// a tmpfs where there is one, so that bbolt's fsync per transaction costs
// nothing; else the scratch directory.
func stageDir(work string) string {
	var st syscall.Statfs_t
	const tmpfsMagic = 0x01021994
	if err := syscall.Statfs("/dev/shm", &st); err == nil && st.Type == tmpfsMagic {
		if d, err := os.MkdirTemp("/dev/shm", "sesame-bench-"); err == nil {
			os.Remove(d)
			return "/dev/shm"
		}
	}
	return work
}

// storage reads the storage of the named store from the server's expvar
// sesame_bench_storage (contestant.Server.Storage).
func storage(admin, name string) (int64, error) {
	res, err := http.Get(admin + "/debug/vars")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var vars struct {
		Storage map[string]json.RawMessage `json:"sesame_bench_storage"`
	}
	if err := json.NewDecoder(res.Body).Decode(&vars); err != nil {
		return 0, fmt.Errorf("%s/debug/vars: %w", admin, err)
	}
	raw, ok := vars.Storage[name]
	if !ok {
		return 0, fmt.Errorf("%s/debug/vars: no sesame_bench_storage of %s in %v", admin, name, vars.Storage)
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("%s/debug/vars: sesame_bench_storage: %s", admin, raw)
	}
	return n, nil
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
