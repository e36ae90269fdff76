package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// microResult is one in-process benchmark (bench/contestant BenchmarkEndpoint).
type microResult struct {
	name      string // e.g. "sesame-mem/read"
	ns, bytes float64
	allocs    float64
	hasMem    bool
}

// micro builds the contestant package's test binary and runs its benchmarks
// pinned to the server CPU, against the driver's Redis.
func (b *bench) micro() ([]microResult, error) {
	bin := filepath.Join(b.cfg.work, "contestant.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "./contestant")
	build.Dir = b.cfg.dir
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go test -c ./contestant: %w", err)
	}
	logf("micro-benchmarks (go test -bench, %s each)", b.cfg.benchtime)
	cmd := exec.Command("taskset", "-c", b.cfg.serverCPU, bin, "-test.run", "^$",
		"-test.bench", "^BenchmarkEndpoint$", "-test.benchmem", "-test.benchtime", b.cfg.benchtime)
	cmd.Dir = filepath.Join(b.cfg.dir, "contestant")
	cmd.Env = append(os.Environ(), "SESAME_REDIS_ADDR="+b.rAddr)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("micro-benchmarks: %w\n%s", err, out)
	}
	return parseBench(string(out)), nil
}

// parseBench reads `go test -bench -benchmem` lines:
//
//	BenchmarkEndpoint/sesame-mem/read    123456    9876 ns/op    1234 B/op    12 allocs/op
func parseBench(out string) []microResult {
	var rs []microResult
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "BenchmarkEndpoint/") {
			continue
		}
		name := strings.TrimPrefix(f[0], "BenchmarkEndpoint/")
		// A -N GOMAXPROCS suffix is added when N > 1.
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		r := microResult{name: name}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				r.ns = v
			case "B/op":
				r.bytes, r.hasMem = v, true
			case "allocs/op":
				r.allocs = v
			}
		}
		rs = append(rs, r)
	}
	return rs
}
