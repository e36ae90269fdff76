package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// instrEndpoints are the in-process paths whose instruction counts make bench
// reports: sesame's own, the CORS peers on the same requests, and /bare, which
// every "over bare" figure subtracts. A "wire:" endpoint is served by a net/http
// server over a loopback connection (instr -wire): the whole request, parsing
// and response header serialisation included; its "over bare" subtracts
// wire:bare.
var instrEndpoints = []string{
	"bare",
	"sesame-mem/read", "sesame-mem/write",
	"sesame-redis/read", "sesame-redis/write",
	"sesame-redis-cache/read", "sesame-redis-cache/write",
	"sesame-cors/preflight", "sesame-cors/actual",
	"rs-cors/preflight", "rs-cors/actual",
	"jub0bs-cors/preflight", "jub0bs-cors/actual",
	"sesame-csrf/xo-write",
	"wire:bare",
	"wire:sesame-mem/read", "wire:sesame-mem/write", "wire:sesame-redis-cache/read",
	"wire:sesame-cors/preflight", "wire:sesame-cors/actual",
	"wire:rs-cors/preflight", "wire:rs-cors/actual",
	"wire:jub0bs-cors/preflight", "wire:jub0bs-cors/actual",
}

// The two request counts of each callgrind run: the difference of the totals,
// divided by instrSpan, is the count per request, start-up and seeding cancelled.
const (
	instrLow  = 2000
	instrSpan = 10000
)

// instrResult is one endpoint's instructions per request.
type instrResult struct {
	name  string
	perOp float64
}

var collected = regexp.MustCompile(`Collected\s*:\s*(\d+)`)

// instr builds bench/cmd/instr and runs it under callgrind for every endpoint.
// Go's asynchronous preemption (SIGURG) trips callgrind, so it is off
// (GODEBUG=asyncpreemptoff=1); GOMAXPROCS=1 keeps the runs comparable, and
// gcstoptheworld=1 makes the garbage collector's work the same from run to run
// (its concurrent phases otherwise move a count by 10% or more).
func (b *bench) instr() ([]instrResult, error) {
	if _, err := exec.LookPath("valgrind"); err != nil {
		return nil, errors.New("valgrind not found (Debian: apt-get install valgrind): no instruction counts")
	}
	bin := filepath.Join(b.cfg.work, "instr")
	build := exec.Command("go", "build", "-o", bin, "./cmd/instr")
	build.Dir = b.cfg.dir
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/instr: %w", err)
	}
	logf("instruction counts (callgrind, %d requests per endpoint)", instrSpan)
	var out []instrResult
	for _, ep := range instrEndpoints {
		var totals [2]float64
		args := []string{"--tool=callgrind", "--callgrind-out-file=/dev/null", bin}
		if e, ok := strings.CutPrefix(ep, "wire:"); ok {
			args = append(args, "-wire", "-endpoint", e)
		} else {
			args = append(args, "-endpoint", ep)
		}
		for i, n := range []int{instrLow, instrLow + instrSpan} {
			cmd := exec.Command("taskset", append([]string{"-c", b.cfg.serverCPU, "valgrind"}, append(args, "-n", strconv.Itoa(n))...)...)
			cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1,gcstoptheworld=1", "GOMAXPROCS=1", "SESAME_REDIS_ADDR="+b.rAddr)
			res, err := cmd.CombinedOutput()
			m := collected.FindSubmatch(res)
			if err != nil || m == nil {
				return out, fmt.Errorf("callgrind %s: %v\n%s", ep, err, lastLines(string(res), 5))
			}
			totals[i], _ = strconv.ParseFloat(string(m[1]), 64)
		}
		out = append(out, instrResult{name: ep, perOp: (totals[1] - totals[0]) / instrSpan})
	}
	return out, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// writeInstr adds the instruction table to the report.
func writeInstr(b *strings.Builder, rs []instrResult, err error) {
	if len(rs) == 0 && err == nil {
		return
	}
	b.WriteString("\n## Instructions per request\n\n")
	fmt.Fprintf(b, "In process, under valgrind's callgrind (`bench/cmd/instr`, the handler chain and requests of the micro-benchmarks; %d and %d requests, "+
		"the difference of the two totals divided by %d, so start-up and seeding cancel out; GOMAXPROCS=1). Garbage collection is included. "+
		"The counts do not depend on the machine's load; the garbage collector runs stopping the world (GODEBUG=gcstoptheworld=1), so that its work is the same from run to run: a change of more than about 1%% is a change of the code. "+
		"The wire: rows serve the same requests with a net/http server over one loopback keep-alive connection (`instr -wire`): request parsing, routing, the handler chain and the serialisation of the response headers, user space only (the system calls are not counted); they subtract wire:bare. "+
		"Callgrind runs SHA-256 on the AVX2 code path (it does not offer the SHA extensions), so the signature and store-key hashing weigh more here than on the CPU itself.\n\n",
		instrLow, instrLow+instrSpan, instrSpan)
	if err != nil {
		fmt.Fprintf(b, "Not complete: %s\n\n", strings.SplitN(err.Error(), "\n", 2)[0])
	}
	b.WriteString("| endpoint | instructions/request | over bare |\n|---|---:|---:|\n")
	bare := map[bool]float64{}
	for _, r := range rs {
		if e, wire := strings.CutPrefix(r.name, "wire:"); e == "bare" {
			bare[wire] = r.perOp
		}
	}
	for _, r := range rs {
		fmt.Fprintf(b, "| %s | %.0f | %.0f |\n", r.name, r.perOp, r.perOp-bare[strings.HasPrefix(r.name, "wire:")])
	}
}
