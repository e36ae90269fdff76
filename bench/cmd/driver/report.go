package main

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/bench/contestant"
)

type results struct {
	cfg               *config
	started, finished time.Time
	machine           string
	main              []*target
	scale             []scaleResult
	scaleSkipped      []string // runs left out (-scale-max, default caps, quick mode)
	scaleFailed       []string // scale runs that failed, and why
	pgSkipped         string   // why sesame-pg was left out ("" when it ran)
	micro             []microResult
	microErr          error
	instr             []instrResult
	instrErr          error
	goals             []goal
	profiles          []profile
}

// summary is the median over the rounds of a target's samples.
type summary struct {
	rps, ratioCPU, ratioRPS float64
	p99, cpu, redisCPU      time.Duration
	redisCmds, trips        float64
	cmdNames                string
	failures                int64 // non-2xx answers and socket errors, all rounds
}

func summarize(t *target) summary {
	var rps, rc, rr, p99, cpu, rcpu, cmds, trips []float64
	var s summary
	calls := map[string]float64{}
	var reqs float64
	for _, x := range t.samples {
		rps = append(rps, x.wrk.RPS())
		rc = append(rc, x.ratioCPU)
		rr = append(rr, x.ratioRPS)
		p99 = append(p99, float64(x.wrk.P99))
		cpu = append(cpu, float64(x.cpu))
		rcpu = append(rcpu, float64(x.redisCPU))
		total := 0.0
		for k, v := range x.redisCmds {
			total += v
			calls[k] += v * float64(x.wrk.Requests)
		}
		cmds = append(cmds, total)
		trips = append(trips, x.trips)
		reqs += float64(x.wrk.Requests)
		s.failures += x.wrk.Status + x.wrk.Errors
	}
	s.rps, s.ratioCPU, s.ratioRPS = median(rps), median(rc), median(rr)
	s.p99, s.cpu, s.redisCPU = time.Duration(median(p99)), time.Duration(median(cpu)), time.Duration(median(rcpu))
	s.redisCmds, s.trips = median(cmds), median(trips)
	var names []string
	for _, k := range slices.Sorted(maps.Keys(calls)) {
		if per := calls[k] / reqs; per >= 0.01 {
			names = append(names, fmt.Sprintf("%s %.2f", strings.ToUpper(k), per))
		}
	}
	s.cmdNames = strings.Join(names, ", ")
	return s
}

// goal is one of the targets and what this run measured for it.
type goal struct {
	what    string
	want    string
	got     string
	met     bool
	shortBy string
	t       *target // the sesame path, for profiling a miss
}

func (r *results) find(name, endpoint string) *target {
	for _, t := range r.main {
		if t.c.Name == name && t.load.Endpoint == endpoint {
			return t
		}
	}
	return nil
}

func (r *results) microOver(name string) (microResult, microResult, bool) {
	var bare, m microResult
	var okB, okM bool
	for _, x := range r.micro {
		switch x.name {
		case "bare":
			bare, okB = x, true
		case name:
			m, okM = x, true
		}
	}
	return bare, m, okB && okM
}

// evaluate checks the targets (CPU-normalised ratios to /bare).
func (r *results) evaluate() {
	r.goals = nil
	ratio := func(name, ep string, min float64, tripsMax, cmdsMax float64, redisWhat string) {
		t := r.find(name, ep)
		if t == nil {
			return
		}
		s := summarize(t)
		g := goal{what: fmt.Sprintf("%s %s", name, ep), t: t, want: fmt.Sprintf("≥ %.2f", min)}
		g.got = fmt.Sprintf("%.2f", s.ratioCPU)
		g.met = s.ratioCPU >= min && s.failures == 0
		if s.ratioCPU < min {
			g.shortBy = fmt.Sprintf("%.2f below (%.0f%% more CPU per request than the target allows)", min-s.ratioCPU, (min/s.ratioCPU-1)*100)
		}
		if f := r.find("redis-floor", ep); f != nil && strings.HasPrefix(name, "sesame-redis") {
			g.got += fmt.Sprintf(" (floor: one go-redis call and no library, %.2f)", summarize(f).ratioCPU)
		}
		if tripsMax > 0 {
			g.want += ", " + redisWhat
			g.got += fmt.Sprintf(", %.2f round trips/req, %.2f Redis commands/req (%s)", s.trips, s.redisCmds, s.cmdNames)
			if s.trips > tripsMax {
				g.met = false
				g.shortBy = strings.TrimPrefix(g.shortBy+fmt.Sprintf("; %.2f round trips per request", s.trips), "; ")
			}
			if cmdsMax > 0 && s.redisCmds > cmdsMax {
				g.met = false
				g.shortBy = strings.TrimPrefix(g.shortBy+fmt.Sprintf("; %.2f Redis commands per request", s.redisCmds), "; ")
			}
		}
		r.goals = append(r.goals, g)
	}
	ratio("sesame-mem", "read", 0.90, 0, 0, "")
	ratio("sesame-mem", "write", 0.80, 0, 0, "")
	// Issue 16's targets: a hot Redis read through the opt-in client-side
	// cache at 0.70; without it (cold) 0.40 with one command; a write 0.40
	// in one round trip.
	ratio("sesame-redis-cache", "read", 0.70, 0, 0, "")
	ratio("sesame-redis-cache", "write", 0.40, 1.05, 0, "one round trip")
	ratio("sesame-redis", "read", 0.40, 1.05, 1.05, "one Redis command")
	ratio("sesame-redis", "write", 0.40, 1.05, 0, "one round trip")
	ratio("sesame-cors", "preflight", 0.95, 0, 0, "")
	ratio("sesame-cors", "actual", 0.95, 0, 0, "")
	// Allocations of the CORS paths, from the micro-benchmarks (filled later).
	// The slowest sesame session path against Express's /bare, per core: over
	// every store, and over the stores meant for production (memory, Redis),
	// since bbolt's synced writes are a documented demo-grade limit.
	if ex := r.find("express-bare", "bare"); ex != nil {
		es := summarize(ex)
		for _, scope := range []struct {
			what string
			keep func(string) bool
		}{
			{"every store", func(string) bool { return true }},
			{"memory and Redis stores", func(n string) bool { return n != "sesame-bolt" && n != "sesame-mongo" && n != "sesame-pg" }},
		} {
			var slow *target
			var slowS summary
			for _, t := range r.main {
				if strings.HasPrefix(t.c.Name, "sesame-") && t.c.Kind == contestant.Session && scope.keep(t.c.Name) {
					if s := summarize(t); slow == nil || s.cpu > slowS.cpu {
						slow, slowS = t, s
					}
				}
			}
			if slow == nil {
				continue
			}
			g := goal{what: "sesame's slowest session path (" + scope.what + ") vs Express /bare, CPU per request", t: slow,
				want: fmt.Sprintf("< %s (Express /bare)", us(es.cpu)),
				got:  fmt.Sprintf("%s (%s %s)", us(slowS.cpu), slow.c.Name, slow.load.Endpoint),
				met:  slowS.cpu < es.cpu}
			if !g.met {
				g.shortBy = fmt.Sprintf("%.0f%% more CPU per request than Express /bare", (float64(slowS.cpu)/float64(es.cpu)-1)*100)
			}
			r.goals = append(r.goals, g)
		}
	}
}

// missed lists the goals missed so far.
func (r *results) missed() []goal {
	var out []goal
	for _, g := range r.goals {
		if !g.met {
			out = append(out, g)
		}
	}
	return out
}

func us(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// scaleGoals checks issue 16's "flat with scale" for every store with scale
// rows: each ratio at the largest count at least 0.9 × the ratio at the
// smallest (1,000 sessions).
func (r *results) scaleGoals() {
	for _, name := range scaleStores {
		var rows []scaleResult
		failed := ""
		for _, s := range r.scale {
			switch {
			case s.name != name:
			case s.failed != "":
				failed = fmt.Sprintf("%d sessions: %s", s.n, s.failed)
			default:
				rows = append(rows, s)
			}
		}
		if len(rows) < 2 {
			if failed != "" {
				r.goals = append(r.goals, goal{what: name + " flat with scale", want: "ratios at the largest N ≥ 0.9 × at 1,000",
					got: "not measured", shortBy: "the load failed at " + failed})
			}
			continue
		}
		lo, hi := rows[0], rows[len(rows)-1]
		for _, ep := range []string{"read", "write"} {
			pick := func(s scaleResult) *target {
				if ep == "read" {
					return s.read
				}
				return s.write
			}
			a, z := summarize(pick(lo)).ratioCPU, summarize(pick(hi)).ratioCPU
			want := 0.9 * a
			g := goal{what: fmt.Sprintf("%s %s flat with scale, %d → %d sessions", name, ep, lo.n, hi.n),
				want: fmt.Sprintf("≥ 0.9 × %.2f = %.2f", a, want),
				got:  fmt.Sprintf("%.2f (%.2f× the ratio at %d)", z, z/a, lo.n),
				met:  z >= want && a > 0}
			if !g.met {
				g.shortBy = fmt.Sprintf("%.2f below: the ratio to /bare fell by %.0f%% from %d to %d sessions (CPU/req %s → %s, each against its own /bare run)",
					want-z, (1-z/a)*100, lo.n, hi.n, us(summarize(pick(lo)).cpu), us(summarize(pick(hi)).cpu))
			}
			r.goals = append(r.goals, g)
		}
	}
}

func (r *results) write() error {
	r.scaleGoals()
	// The CORS allocation goals need the micro-benchmarks.
	for _, ep := range []string{"preflight", "actual"} {
		name := "sesame-cors/" + ep
		if bare, m, ok := r.microOver(name); ok {
			over := m.allocs - bare.allocs
			g := goal{what: "sesame-cors " + ep + " allocations over /bare", want: "0", got: fmt.Sprintf("%.0f", over), met: over <= 0}
			if !g.met {
				g.shortBy = fmt.Sprintf("%.0f allocations per request", over)
			}
			r.goals = append(r.goals, g)
		}
	}

	var b strings.Builder
	cfg := r.cfg
	mode := "full"
	if cfg.quick {
		mode = "quick (BENCH_QUICK=1)"
	}
	fmt.Fprintf(&b, "# sesame benchmark results\n\n")
	fmt.Fprintf(&b, "Generated by `make bench` (bench/run.sh → bench/cmd/driver) on %s, in %s. Do not edit: run it again.\n\n",
		r.started.UTC().Format("2006-01-02 15:04 MST"), r.finished.Sub(r.started).Round(time.Second))
	fmt.Fprintf(&b, "Machine: %s\n\n", r.machine)
	fmt.Fprintf(&b, "Mode: %s — %d interleaved round(s) (A B C … A B C …); in each, every endpoint is loaded for %s right after %s of `/bare` on the same server, "+
		"which its ratios divide by; wrk with 1 thread and %d connections after a %s warm-up; "+
		"%d logged-in sessions per session contestant (a cookie picked at random per request). "+
		"The servers run on CPU %s; wrk and redis-server on CPU %s (taskset), so server and load generator never share a core.\n\n",
		mode, cfg.rounds, cfg.dur, cfg.pair, cfg.conns, cfg.warm, cfg.logins, cfg.serverCPU, cfg.loadCPU)
	b.WriteString("**Read the CPU columns first.** Other engineers share this 2-core machine while it runs, so req/s and p99 are noisy. " +
		"*CPU/req* is the server process's utime+stime (all threads, from /proc/PID/stat) divided by the requests wrk completed; " +
		"*×bare CPU* is CPU/req of the `/bare` run just before (sent the same request headers: Cookie, Origin) divided by this row's (1.00 = as cheap as a plain handler; " +
		"the headline figure); *×bare req/s* is the same ratio of throughput. Figures are medians over the rounds. " +
		"Redis columns: round trips per request (commands and pipelines the Go server sent, counted by a go-redis hook; for Express, " +
		"whose connect-redis runs no scripts, the command count), commands per request by name from INFO commandstats, which also counts " +
		"the commands a Lua script runs inside one EVALSHA, and redis-server CPU per request, which the server column does not include.\n\n")

	b.WriteString("## Sessions\n\n")
	b.WriteString("`read`: GET with a session cookie, the handler reads the user. `write`: POST with a session cookie, the handler sets one key to a new value. " +
		"The *floor* row uses no session library: its handlers make the one go-redis call a Redis store cannot avoid (HGETALL of a session-sized hash, HSET of one field), " +
		"so no Redis-backed session store can cost less per request on this machine.\n\n")
	r.table(&b, func(t *target) bool {
		return t.c.Kind == contestant.Session || t.c.Kind == contestant.Floor || t.load.Endpoint == "bare"
	}, true)
	if r.pgSkipped != "" {
		fmt.Fprintf(&b, "\n**%s.**\n", r.pgSkipped)
	}
	b.WriteString("\n## CORS and CSRF\n\n")
	b.WriteString("`preflight`: OPTIONS with Origin, Access-Control-Request-Method: PUT and Access-Control-Request-Headers: content-type. " +
		"`actual`: GET with Origin. `xo-write`: POST from a trusted cross-site Origin through the CSRF check. Every policy allows the same origin, credentials, PUT and Content-Type.\n\n")
	r.table(&b, func(t *target) bool {
		return t.c.Kind == contestant.CORS || t.c.Kind == contestant.CSRF || t.load.Endpoint == "bare"
	}, false)

	b.WriteString("\n## Targets (issue 16)\n\n| target | want | measured | verdict |\n|---|---|---|---|\n")
	for _, g := range r.goals {
		v := "met"
		if !g.met {
			v = "**missed**"
			if g.shortBy != "" {
				v += ": " + g.shortBy
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", g.what, g.want, g.got, v)
	}

	if len(r.scale) > 0 || len(r.scaleFailed) > 0 {
		b.WriteString("\n## Scale\n\n")
		b.WriteString("One server per row, holding only that store, filled with N live sessions; wrk picks each request's cookie at random from all N. " +
			"sesame-mem and sesame-redis are filled by logins served in process; sesame-pg (COPY) and sesame-mongo (insertMany) in batches of 10,000 records minted by sesame's own Manager " +
			"(the login handler on a memstore, same key and configuration), a sample of which is then read back through the store's Load; " +
			"sesame-bolt by boltstore's own Save, one transaction per session, into a file on a tmpfs that is then copied into place before the server opens it. " +
			"*Memory/session* is the growth of what each store holds, divided by N, measured as the last column says. " +
			"The cost per request should stay flat as N grows (issue 16: each ratio at the largest N ≥ 0.9 × the ratio at 1,000; see Targets).")
		if r.cfg.quick {
			b.WriteString(" Quick mode: 1,000 and 100,000 sessions, and 1,000 and 10,000 for sesame-bolt and sesame-mongo, whose seeding or requests take seconds per ten thousand sessions.")
		}
		b.WriteString("\n\n")
		b.WriteString("| store | sessions | memory/session | seeded in | read req/s | read CPU/req | read ×bare CPU | write req/s | write CPU/req | write ×bare CPU | Redis round trips/req (read, write) | memory measured as |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
		for _, s := range r.scale {
			if s.failed != "" {
				fmt.Fprintf(&b, "| %s | %d | %.0f B | %s | load failed: %s | | | | | | – | %s |\n",
					s.name, s.n, s.perSession(), s.seed.Round(10*time.Millisecond), s.failed, storageHow[s.name])
				continue
			}
			rd, wr := summarize(s.read), summarize(s.write)
			cmds := "–"
			if s.name == "sesame-redis" {
				cmds = fmt.Sprintf("%.2f, %.2f", rd.trips, wr.trips)
			}
			fmt.Fprintf(&b, "| %s | %d | %.0f B | %s | %.0f | %s | %.2f | %.0f | %s | %.2f | %s | %s |\n",
				s.name, s.n, s.perSession(), s.seed.Round(10*time.Millisecond), rd.rps, us(rd.cpu), rd.ratioCPU, wr.rps, us(wr.cpu), wr.ratioCPU, cmds, storageHow[s.name])
		}
		if len(r.scaleSkipped) > 0 {
			fmt.Fprintf(&b, "\nNot run: %s.\n", strings.Join(r.scaleSkipped, "; "))
		}
		if len(r.scaleFailed) > 0 {
			fmt.Fprintf(&b, "\n**Failed** (the larger counts of that store were not run): %s.\n", strings.Join(r.scaleFailed, "; "))
		}
		if r.pgSkipped != "" {
			fmt.Fprintf(&b, "\n%s.\n", r.pgSkipped)
		}
	}

	if len(r.micro) > 0 {
		b.WriteString("\n## Micro-benchmarks\n\n")
		b.WriteString("In process (`go test -bench BenchmarkEndpoint -benchmem ./contestant`, pinned to one CPU): the whole handler chain with a reused request and a discarding ResponseWriter, " +
			"so the *over bare* columns are what each library adds to a plain handler.\n\n")
		b.WriteString("| benchmark | ns/op | B/op | allocs/op | ns over bare | B over bare | allocs over bare |\n|---|---:|---:|---:|---:|---:|---:|\n")
		var bare microResult
		for _, m := range r.micro {
			if m.name == "bare" {
				bare = m
			}
		}
		for _, m := range r.micro {
			fmt.Fprintf(&b, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", m.name, m.ns, m.bytes, m.allocs, m.ns-bare.ns, m.bytes-bare.bytes, m.allocs-bare.allocs)
		}
	}

	writeInstr(&b, r.instr, r.instrErr)

	if r.cfg.quick && len(r.missed()) > 0 {
		b.WriteString("\n## Profiles\n\nQuick mode takes no profiles: run `make bench` for the profiles of the missed targets.\n")
	}
	if r.microErr != nil {
		fmt.Fprintf(&b, "\n## Micro-benchmarks\n\nThey failed: %s\n", strings.SplitN(r.microErr.Error(), "\n", 2)[0])
	}
	if len(r.profiles) > 0 {
		b.WriteString("\n## Profiles of the missed targets\n\nCPU profiles of the Go server under the same load (net/http/pprof), restricted to the samples under sesame's own functions " +
			"(`-focus` on sesame's packages: the rest is net/http, the same as for `/bare`): cumulative first (the share of the server's CPU " +
			"that sesame's middleware takes, and its biggest callees), then flat (the functions the time is actually spent in).\n")
		for _, p := range r.profiles {
			fmt.Fprintf(&b, "\n### %s %s\n\n```\n%s\n```\n", p.t.c.Name, p.t.load.Endpoint, strings.Join(p.top, "\n\n"))
		}
	}
	return os.WriteFile(cfg.out, []byte(b.String()), 0o644)
}

// table writes one results table of the main runs.
func (r *results) table(b *strings.Builder, keep func(*target) bool, redisCols bool) {
	b.WriteString("| server | contestant | endpoint | req/s | p99 | CPU/req | ×bare CPU | ×bare req/s |")
	if redisCols {
		b.WriteString(" Redis round trips/req | Redis commands/req | Redis CPU/req |")
	}
	b.WriteString("\n|---|---|---|---:|---:|---:|---:|---:|")
	if redisCols {
		b.WriteString("---:|---|---:|")
	}
	b.WriteString("\n")
	for _, t := range r.main {
		if !keep(t) {
			continue
		}
		s := summarize(t)
		label := t.c.Label
		if label == "" {
			label = t.c.Name
		}
		ep := t.load.Endpoint
		if s.failures > 0 {
			ep += fmt.Sprintf(" (**%d failed requests**)", s.failures)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %.0f | %s | %s | %.2f | %.2f |", t.srv.name, label, ep, s.rps, ms(s.p99), us(s.cpu), s.ratioCPU, s.ratioRPS)
		if redisCols {
			trips, cmds, rcpu := "–", "–", "–"
			if t.c.Redis {
				trips = fmt.Sprintf("%.2f", s.trips)
				cmds = fmt.Sprintf("%.2f (%s)", s.redisCmds, s.cmdNames)
				rcpu = us(s.redisCPU)
			}
			fmt.Fprintf(b, " %s | %s | %s |", trips, cmds, rcpu)
		}
		b.WriteString("\n")
	}
}

// machine describes the machine and the software versions of the run.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	ver := func(name string, args ...string) string {
		out, err := exec.Command(name, args...).Output()
		if err != nil {
			return name + " ?"
		}
		return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	kernel := ver("uname", "-r")
	return fmt.Sprintf("%s, %d cores, Linux %s; %s; node %s; %s; %s", cpu, runtime.NumCPU(), kernel,
		runtime.Version(), ver("node", "--version"), ver("redis-server", "--version"), "wrk "+wrkVersion())
}

func wrkVersion() string {
	out, _ := exec.Command("wrk", "-v").CombinedOutput()
	f := strings.Fields(string(out))
	if len(f) >= 2 {
		return f[1]
	}
	return "?"
}
