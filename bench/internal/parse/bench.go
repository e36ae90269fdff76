package parse

import (
	"strconv"
	"strings"
)

// Bench is one result line of `go test -bench -benchmem`.
type Bench struct {
	Name   string // without "Benchmark" and without the -GOMAXPROCS suffix
	N      int64  // iterations
	NsOp   float64
	BOp    float64
	Allocs float64
	Mem    bool // B/op and allocs/op were reported
}

// BenchLines reads the result lines of `go test -bench` output, skipping
// every other line.
//
//	BenchmarkEndpoint/sesame-mem/read-2    123456    9876 ns/op    1234 B/op    12 allocs/op
func BenchLines(out string) []Bench {
	var rs []Bench
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f[0]) == len("Benchmark") {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		// go test adds -N (GOMAXPROCS) when N > 1.
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if p, err := strconv.Atoi(name[i+1:]); err == nil && p > 0 {
				name = name[:i]
			}
		}
		r := Bench{Name: name, N: n}
		units := 0
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil || v < 0 || v != v {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				r.NsOp = v
				units++
			case "B/op":
				r.BOp = v
				r.Mem = true
			case "allocs/op":
				r.Allocs = v
			}
		}
		if units == 0 {
			continue
		}
		rs = append(rs, r)
	}
	return rs
}
