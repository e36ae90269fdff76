package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sesame-go/sesame/session"
)

// demo runs the seeds' system the way sesame says it should be built: a JSON API
// with cookie sessions on one origin and its front end on another, CORS, CSRF
// protection and trusted proxies derived from one description, sessions kept in
// the embedded bbolt store under --data-dir unless --store says otherwise.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseDemoFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		printProblems(stderr, "sesame demo: the command line has problems:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	d, err := newDemoServer(ctx, cfg, logger)
	if err != nil {
		printProblems(stderr, "sesame demo: cannot start:", err)
		return 1
	}
	defer d.close()
	if err := d.run(ctx, stdout); err != nil {
		fmt.Fprintf(stderr, "sesame demo: %v\n", err)
		return 1
	}
	return 0
}

// demoServer is the running demo: the API, the optional front end, their store.
type demoServer struct {
	cfg       demoConfig
	log       *slog.Logger
	api, app  http.Handler // app is nil with --app-addr ""
	explain   string       // the derived policy, in plain words
	storeDesc string
	keyFile   string
	closers   []func() error
}

func newDemoServer(ctx context.Context, cfg demoConfig, logger *slog.Logger) (*demoServer, error) {
	d := &demoServer{cfg: cfg, log: logger}
	keys, err := d.keys()
	if err != nil {
		return nil, err
	}
	var st *openedStore
	var compat *session.Config
	if cfg.Compat == "express" {
		cx, err := compatExpressConfig(cfg.SecretFile, cfg.Store, cfg.IdleTimeout, logger)
		if err != nil {
			return nil, err
		}
		st = &openedStore{store: cx.Session.Store, desc: cx.Desc, close: cx.Close}
		compat = &cx.Session
	} else if st, err = openStore(ctx, cfg.Store, logger); err != nil {
		return nil, err
	}
	d.storeDesc = st.desc
	d.closers = append(d.closers, st.close)

	var obs session.Observer
	if cfg.OtelStdout {
		out := cfg.otelOut
		if out == nil {
			out = os.Stdout
		}
		o, shutdown, err := newDemoObserver(out)
		if err != nil {
			d.close()
			return nil, err
		}
		obs = o
		d.closers = append(d.closers, shutdown)
	}
	stack, err := newDemoStack(cfg, st.store, keys, compat, obs, logger)
	if err != nil {
		d.close()
		return nil, err
	}
	d.explain = stack.Explain()
	_, listable := st.store.(session.UserIndex)
	api := &demoAPI{m: stack.Sessions(), dev: cfg.Dev, listable: listable}

	mux := http.NewServeMux()
	// Probes sit outside the stack: a load balancer calls them without cookies
	// or an Origin, and they must answer while sessions cannot.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		respondJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := stack.Ready(r.Context()); err != nil {
			respondProblem(w, http.StatusServiceUnavailable, "Session store unavailable", err.Error())
			return
		}
		respondJSON(w, http.StatusOK, map[string]string{"status": "ready", "store": st.desc})
	})
	mux.Handle("/api/", stack.Handler(api.routes()))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		respondProblem(w, http.StatusNotFound, "Not found", "The API lives under /api/.")
	})
	d.api = mux

	if cfg.AppAddr != "" {
		if d.app, err = appHandler(cfg.PublicOrigin); err != nil {
			d.close()
			return nil, err
		}
	}
	return d, nil
}

// run listens on both addresses, prints where to go and the derived policy, and
// serves until ctx ends, then shuts down gracefully.
func (d *demoServer) run(ctx context.Context, stdout io.Writer) error {
	servers := []*http.Server{}
	listen := func(addr string, h http.Handler) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		srv := &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(d.log.Handler(), slog.LevelWarn),
		}
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				d.log.Error("server stopped", "addr", addr, "err", err)
			}
		}()
		return nil
	}
	if err := listen(d.cfg.APIAddr, d.api); err != nil {
		return err
	}
	if d.app != nil {
		if err := listen(d.cfg.AppAddr, d.app); err != nil {
			shutdown(servers)
			return err
		}
	}
	d.printBanner(stdout)
	<-ctx.Done()
	shutdown(servers)
	return nil
}

func shutdown(servers []*http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(ctx)
	}
}

func (d *demoServer) printBanner(w io.Writer) {
	fmt.Fprintln(w, "sesame demo")
	fmt.Fprintf(w, "  API        %s  (listening on %s)\n", d.cfg.PublicOrigin, d.cfg.APIAddr)
	if d.app != nil {
		fmt.Fprintf(w, "  front end  %s  (open this; listening on %s)\n", d.frontOrigin(), d.cfg.AppAddr)
	} else {
		fmt.Fprintln(w, "  front end  not served (--app-addr is empty)")
	}
	fmt.Fprintf(w, "  allowed    %s\n", strings.Join(d.cfg.FrontendOrigins, ", "))
	if len(d.cfg.TrustProxy) > 0 {
		fmt.Fprintf(w, "  proxies    %s (their X-Forwarded-* headers are believed)\n", strings.Join(d.cfg.TrustProxy, ", "))
	} else {
		fmt.Fprintln(w, "  proxies    none trusted: X-Forwarded-* headers are ignored")
	}
	fmt.Fprintf(w, "  store      %s\n", d.storeDesc)
	fmt.Fprintf(w, "  keys       %s\n", d.keyFile)
	if d.cfg.Compat == "express" {
		fmt.Fprintf(w, "  compat     express: cookie connect.sid signed with the secrets in %s\n", d.cfg.SecretFile)
	}
	fmt.Fprintln(w, "  accounts   alice/wonderland, bob/builder (demo only)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "policy:")
	for line := range strings.SplitSeq(strings.TrimRight(d.explain, "\n"), "\n") {
		fmt.Fprintln(w, "  "+line)
	}
}

func (d *demoServer) close() {
	for i := len(d.closers) - 1; i >= 0; i-- {
		if err := d.closers[i](); err != nil {
			d.log.Warn("close", "err", err)
		}
	}
	d.closers = nil
}

// printProblems prints every problem of a joined error on its own line; a
// *problem.Problem's message starts with its rule id.
func printProblems(w io.Writer, head string, err error) {
	fmt.Fprintln(w, head)
	for _, e := range flatten(err) {
		fmt.Fprintf(w, "  - %v\n", e)
	}
}

// flatten undoes errors.Join, recursively.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
