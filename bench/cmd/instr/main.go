// Command instr serves a fixed number of in-process requests of one endpoint,
// for an instruction count that does not move with the machine's load: the
// driver runs it under valgrind's callgrind twice, with two request counts, and
// divides the difference of the totals by the difference of the counts, so
// start-up, seeding and exit cancel out.
//
//	instr -endpoint sesame-mem/read -n 20000
//
// The handler chain and the requests are BenchmarkEndpoint's (bench/contestant):
// the same request shapes as the load runs, session loads cycling through 64
// logged-in sessions.
//
// With -wire the requests go through a real net/http server on a loopback
// connection (one keep-alive connection, one request at a time), so the count
// includes what the handler chain makes the server do besides: parsing the
// request, cloning and serialising the response headers. The client side (writing
// the request bytes, finding the end of the response) is the same for every
// endpoint but for the response's length.
//
//	instr -wire -endpoint sesame-cors/preflight -n 20000
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

func main() {
	endpoint := flag.String("endpoint", "bare", `"bare" or contestant/endpoint, e.g. "sesame-mem/read"`)
	n := flag.Int("n", 10000, "requests to serve")
	wire := flag.Bool("wire", false, "serve the requests with a net/http server over a loopback TCP connection")
	flag.Parse()
	if err := run(*endpoint, *n, *wire); err != nil {
		fmt.Fprintln(os.Stderr, "instr:", err)
		os.Exit(1)
	}
}

func run(endpoint string, n int, wire bool) error {
	load, c, err := find(endpoint)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sesame-instr-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	o := contestant.Options{Prefix: "bench-instr:", BoltPath: filepath.Join(dir, "bench.db"), Only: []string{c.Name}}
	if c.Name == "" {
		o.Only = []string{"none"}
	}
	srv, err := contestant.New(o)
	if err != nil {
		return err
	}
	defer srv.Close()
	h := srv.Handler()

	base := httptest.NewRequest(load.Method, "http://127.0.0.1"+load.Path, nil)
	for k, v := range load.Header {
		base.Header.Set(k, v)
	}
	reqs := []*http.Request{base}
	if load.Cookies {
		reqs = reqs[:0]
		for range 64 {
			ck, err := srv.Login(c.Name)
			if err != nil {
				return err
			}
			r := base.Clone(context.Background())
			r.Header.Set("Cookie", ck)
			reqs = append(reqs, r)
		}
	}
	if wire {
		return serveWire(h, reqs, n)
	}
	w := &discard{h: http.Header{}}
	for i := range n {
		r := *reqs[i%len(reqs)]
		clear(w.h)
		w.code = 0
		h.ServeHTTP(w, &r)
		if w.code/100 != 2 {
			return fmt.Errorf("%s %s: got status %d, want 2xx", load.Method, load.Path, w.code)
		}
	}
	return nil
}

// find returns the load named by endpoint and its contestant (zero for bare).
func find(endpoint string) (check.Load, contestant.Contestant, error) {
	if endpoint == "bare" {
		return check.Bare("go"), contestant.Contestant{}, nil
	}
	name, ep, _ := strings.Cut(endpoint, "/")
	c, ok := contestant.Lookup(name)
	if !ok {
		return check.Load{}, c, fmt.Errorf("no contestant %q", name)
	}
	for _, l := range check.Loads(c.Name, c.Kind) {
		if l.Endpoint == ep {
			return l, c, nil
		}
	}
	return check.Load{}, c, fmt.Errorf("%s has no endpoint %q", name, ep)
}

// discard keeps only the status, as BenchmarkEndpoint's writer does.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = 200
	}
	return len(p), nil
}
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
