// Command server serves the Go contestants of sesame's side-by-side benchmark
// (package contestant) for the driver (bench/cmd/driver) to load.
//
//	server -addr 127.0.0.1:0 -admin 127.0.0.1:0 -redis 127.0.0.1:6379 -bolt /tmp/bench.db
//
// It prints "listening PORT" and "admin PORT" on stdout when both listeners are
// ready. The admin listener, kept apart so that its routes never add to the
// measured requests, serves:
//
//	POST /seed?name=sesame-mem&n=1000000&out=FILE   n sessions made in process, cookies to FILE
//	GET  /stats                                      "redis-round-trips N": requests sent to Redis so far
//	POST /gc                                         runtime.GC and debug.FreeOSMemory
//	/debug/pprof/...                                 net/http/pprof (CPU profiles under load)
//
// SIGTERM or SIGINT closes the listeners and the stores (the bbolt file) and exits.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // on the admin listener only (http.DefaultServeMux)
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sesame-go/sesame/bench/contestant"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address of the contestants")
	admin := flag.String("admin", "127.0.0.1:0", "listen address of the admin endpoints (seed, gc, pprof)")
	redisAddr := flag.String("redis", "", "Redis address (default: env SESAME_REDIS_ADDR, else 127.0.0.1:6379)")
	prefix := flag.String("prefix", "bench:", "prefix of every Redis key")
	bolt := flag.String("bolt", "", "bbolt file of sesame-bolt (required unless -only leaves it out)")
	mongoURL := flag.String("mongo", "", "MongoDB URL of sesame-mongo (default: env SESAME_MONGODB_URL, else an embedded FerretDB)")
	maxEntries := flag.Int("mem-max", 0, "MaxEntries of sesame's memory store (default: memstore's)")
	only := flag.String("only", "", "comma-separated contestants to serve (default: all)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("server: ")

	o := contestant.Options{RedisAddr: *redisAddr, Prefix: *prefix, BoltPath: *bolt, MongoURL: *mongoURL, MaxEntries: *maxEntries}
	if *only != "" {
		o.Only = strings.Split(*only, ",")
	}
	srv, err := contestant.New(o)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	aln, err := net.Listen("tcp", *admin)
	if err != nil {
		log.Fatal(err)
	}
	api := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	http.HandleFunc("POST /seed", func(w http.ResponseWriter, r *http.Request) { seed(w, r, srv) })
	http.HandleFunc("POST /gc", func(w http.ResponseWriter, _ *http.Request) {
		runtime.GC()
		debug.FreeOSMemory()
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "redis-round-trips %d\n", srv.RedisRoundTrips())
	})
	adm := &http.Server{Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}

	errc := make(chan error, 2)
	go func() { errc <- api.Serve(ln) }()
	go func() { errc <- adm.Serve(aln) }()
	fmt.Printf("listening %d\nadmin %d\n", ln.Addr().(*net.TCPAddr).Port, aln.Addr().(*net.TCPAddr).Port)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Print(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	api.Shutdown(ctx)
	adm.Shutdown(ctx)
}

func seed(w http.ResponseWriter, r *http.Request, srv *contestant.Server) {
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("n"))
	if err != nil || n < 1 {
		http.Error(w, "n: want a positive count", http.StatusBadRequest)
		return
	}
	workers, _ := strconv.Atoi(q.Get("workers"))
	if workers < 1 {
		workers = 4 * runtime.GOMAXPROCS(0)
	}
	f, err := os.Create(q.Get("out"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	start := time.Now()
	bw := bufio.NewWriterSize(f, 1<<16)
	err = srv.Seed(r.Context(), q.Get("name"), n, workers, bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "seeded %d in %s\n", n, time.Since(start).Round(time.Millisecond))
}
