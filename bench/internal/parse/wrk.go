package parse

import (
	"fmt"
	"strings"
	"time"
)

// Wrk is what the driver's wrk script prints when a run ends.
type Wrk struct {
	Requests int64         // completed requests
	Duration time.Duration // how long the run took
	Errors   int64         // connect, read, write and timeout errors
	Status   int64         // responses that were not 2xx or 3xx
	P99      time.Duration // 99th percentile latency
}

// RPS returns completed requests per second (0 for a run of no duration).
func (w Wrk) RPS() float64 {
	if w.Duration <= 0 {
		return 0
	}
	return float64(w.Requests) / w.Duration.Seconds()
}

// WrkPrefix starts the result line of the driver's wrk script:
//
//	BENCH requests duration_us connect read write status timeout p99_us
const WrkPrefix = "BENCH "

// WrkLine finds the result line in wrk's output and reads it.
func WrkLine(out string) (Wrk, error) {
	for line := range strings.Lines(out) {
		rest, ok := strings.CutPrefix(line, WrkPrefix)
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 8 {
			return Wrk{}, fmt.Errorf("wrk result %q: want 8 numbers", strings.TrimSpace(line))
		}
		var v [8]int64
		for i, s := range f {
			n, err := nonNegative(s)
			if err != nil {
				return Wrk{}, fmt.Errorf("wrk result %q: %w", strings.TrimSpace(line), err)
			}
			v[i] = n
		}
		return Wrk{
			Requests: v[0],
			Duration: time.Duration(v[1]) * time.Microsecond,
			Errors:   v[2] + v[3] + v[4] + v[6],
			Status:   v[5],
			P99:      time.Duration(v[7]) * time.Microsecond,
		}, nil
	}
	return Wrk{}, fmt.Errorf("no %q line in wrk's output", strings.TrimSpace(WrkPrefix))
}
