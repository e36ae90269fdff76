package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/sesame-go/sesame/bench/internal/parse"
)

// microResult is one in-process benchmark (bench/contestant BenchmarkEndpoint).
type microResult struct {
	name      string // e.g. "sesame-mem/read"
	ns, bytes float64
	allocs    float64
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

// parseBench keeps the BenchmarkEndpoint lines of go test's output.
func parseBench(out string) []microResult {
	var rs []microResult
	for _, b := range parse.BenchLines(out) {
		if name, ok := strings.CutPrefix(b.Name, "Endpoint/"); ok {
			rs = append(rs, microResult{name: name, ns: b.NsOp, bytes: b.BOp, allocs: b.Allocs})
		}
	}
	return rs
}
