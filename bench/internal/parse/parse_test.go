package parse_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/bench/internal/parse"
)

func TestWrkLine(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    parse.Wrk
		wantErr bool
	}{
		{"result among wrk's own lines", "Running 3s test @ http://127.0.0.1:1/bare\n  1 threads and 32 connections\nBENCH 1000 2000000 1 2 3 4 5 900\n",
			parse.Wrk{Requests: 1000, Duration: 2 * time.Second, Errors: 11, Status: 4, P99: 900 * time.Microsecond}, false},
		{"no result line", "Running 3s test\n", parse.Wrk{}, true},
		{"too few numbers", "BENCH 1 2 3\n", parse.Wrk{}, true},
		{"negative", "BENCH -1 2 0 0 0 0 0 0\n", parse.Wrk{}, true},
		{"not a number", "BENCH x 2 0 0 0 0 0 0\n", parse.Wrk{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse.WrkLine(tt.out)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := (parse.Wrk{Requests: 500, Duration: 2 * time.Second}).RPS(); got != 250 {
		t.Errorf("RPS: got %v, want 250", got)
	}
}

func TestCommandStats(t *testing.T) {
	info := "# Commandstats\r\ncmdstat_get:calls=3,usec=12,usec_per_call=4.00,rejected_calls=0,failed_calls=0\r\n" +
		"cmdstat_EVALSHA:calls=7,usec=1\r\ncmdstat_bad:calls=-1\r\ncmdstat_:calls=2\r\nother:1\r\n"
	got := parse.CommandStats(info)
	want := map[string]int64{"get": 3, "evalsha": 7}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestInfoInt(t *testing.T) {
	tests := []struct {
		info, field string
		want        int64
		wantErr     bool
	}{
		{"# Memory\r\nused_memory:1024\r\nused_memory_human:1K\r\n", "used_memory", 1024, false},
		{"# Memory\r\n", "used_memory", 0, true},
		{"used_memory:abc\r\n", "used_memory", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.field+"/"+fmt.Sprint(tt.want), func(t *testing.T) {
			got, err := parse.InfoInt(tt.info, tt.field)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestStatTicks(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    int64
		wantErr bool
	}{
		{"plain", "42 (server) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 5 0 100 0 0\n", 200, false},
		{"name with spaces and parens", "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0\n", 10, false},
		{"no name", "42 S 1", 0, true},
		{"short", "42 (x) S 1 2\n", 0, true},
		{"bad utime", "42 (x) S 1 42 42 0 -1 4194560 100 0 0 0 u 3 0\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse.StatTicks(tt.stat)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestStatusRSS(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr bool
	}{
		{"present", "Name:\tserver\nVmRSS:\t   2048 kB\nThreads:\t5\n", 2048 * 1024, false},
		{"absent", "Name:\tserver\n", 0, true},
		{"no unit", "VmRSS:\t2048\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse.StatusRSS(tt.status)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestBenchLines(t *testing.T) {
	out := "goos: linux\nBenchmarkEndpoint/bare-2   \t 876691\t       746.1 ns/op\t     320 B/op\t       1 allocs/op\n" +
		"BenchmarkEndpoint/sesame-mem/read \t45220\t4843 ns/op\n" +
		"BenchmarkX-y 10 5 ns/op\n" +
		"Benchmark 1 2 ns/op\nBenchmarkNoRuns 0 2 ns/op\nPASS\n"
	got := parse.BenchLines(out)
	want := []parse.Bench{
		{Name: "Endpoint/bare", N: 876691, NsOp: 746.1, BOp: 320, Allocs: 1, Mem: true},
		{Name: "Endpoint/sesame-mem/read", N: 45220, NsOp: 4843},
		{Name: "X-y", N: 10, NsOp: 5},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// Every parser takes text the driver did not write: none may panic, and what
// they return must be in range.

func FuzzWrkLine(f *testing.F) {
	f.Add("BENCH 1000 2000000 1 2 3 4 5 900\n")
	f.Add("Running\nBENCH 1 1 0 0 0 0 0 0")
	f.Fuzz(func(t *testing.T, out string) {
		w, err := parse.WrkLine(out)
		if err == nil && (w.Requests < 0 || w.Duration < 0 || w.Errors < 0 || w.Status < 0 || w.P99 < 0) {
			t.Errorf("got %+v, want no negative figure", w)
		}
	})
}

func FuzzRedisInfo(f *testing.F) {
	f.Add("cmdstat_get:calls=3,usec=12\r\nused_memory:1024\r\n")
	f.Fuzz(func(t *testing.T, info string) {
		for k, v := range parse.CommandStats(info) {
			if v < 0 || k == "" || k != strings.ToLower(k) {
				t.Errorf("got %q=%d, want a lower-case name and a count", k, v)
			}
		}
		if n, err := parse.InfoInt(info, "used_memory"); err == nil && n < 0 {
			t.Errorf("got used_memory %d, want ≥ 0", n)
		}
	})
}

func FuzzProc(f *testing.F) {
	f.Add("42 (server) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 5 0 100 0 0\n")
	f.Add("Name:\tserver\nVmRSS:\t   2048 kB\n")
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := parse.StatTicks(s); err == nil && n < 0 {
			t.Errorf("StatTicks: got %d, want ≥ 0", n)
		}
		if n, err := parse.StatusRSS(s); err == nil && n < 0 {
			t.Errorf("StatusRSS: got %d, want ≥ 0", n)
		}
	})
}

func FuzzBenchLines(f *testing.F) {
	f.Add("BenchmarkEndpoint/bare-2 \t 876691\t 746.1 ns/op\t 320 B/op\t 1 allocs/op\n")
	f.Fuzz(func(t *testing.T, out string) {
		for _, b := range parse.BenchLines(out) {
			if b.N <= 0 || b.NsOp < 0 || b.BOp < 0 || b.Allocs < 0 {
				t.Errorf("got %+v, want positive iterations and no negative figure", b)
			}
		}
	})
}

func ExampleWrkLine() {
	w, err := parse.WrkLine("Running 3s test @ http://127.0.0.1:8080/bare\nBENCH 60000 3000000 0 0 0 0 0 2500\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f req/s, p99 %s\n", w.RPS(), w.P99)
	// Output: 20000 req/s, p99 2.5ms
}

func ExampleCommandStats() {
	calls := parse.CommandStats("# Commandstats\r\ncmdstat_hgetall:calls=12,usec=40\r\n")
	fmt.Println(calls["hgetall"])
	// Output: 12
}

func ExampleStatTicks() {
	ticks, _ := parse.StatTicks("42 (server) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 5 0 100 0 0")
	fmt.Println(ticks, "ticks of CPU")
	// Output: 200 ticks of CPU
}

func ExampleBenchLines() {
	for _, b := range parse.BenchLines("BenchmarkEndpoint/bare-2 \t 876691\t 746.1 ns/op\t 320 B/op\t 1 allocs/op\n") {
		fmt.Println(b.Name, b.NsOp, b.Allocs)
	}
	// Output: Endpoint/bare 746.1 1
}

func ExampleInfoInt() {
	n, _ := parse.InfoInt("# Memory\r\nused_memory:1048576\r\n", "used_memory")
	fmt.Println(n)
	// Output: 1048576
}

func ExampleStatusRSS() {
	n, _ := parse.StatusRSS("Name:\tserver\nVmRSS:\t   2048 kB\n")
	fmt.Println(n)
	// Output: 2097152
}
