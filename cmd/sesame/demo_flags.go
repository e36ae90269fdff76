package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"time"
)

// demoConfig is the demo's command line, parsed and with its defaults derived.
type demoConfig struct {
	APIAddr         string        // where the API listens
	AppAddr         string        // where the front end is served; "" serves the API only
	Store           string        // memory, bolt:PATH, redis://…, redis-cluster://…, postgres://…
	FrontendOrigins []string      // origins allowed to call the API with credentials
	PublicOrigin    string        // the API's origin as browsers see it
	TrustProxy      []string      // trusted proxies: CIDRs, named ranges or a hop count
	DataDir         string        // holds the bolt store and the generated key
	SecretFile      string        // signing keys, one per line, the first signs
	IdleTimeout     time.Duration // 0: the library's default
	AbsoluteTimeout time.Duration // 0: the library's default
	Dev             bool          // explain missing sessions to the browser
	Compat          string        // "" or "express": share sessions with an Express app
	OtelStdout      bool          // print OpenTelemetry metrics and traces to stdout
	otelOut         io.Writer     // where --otel-stdout writes; os.Stdout unless a test says
}

// listFlag is a repeatable flag that also splits on commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// parseDemoFlags reads the demo's flags. Unset origins are derived from the listen
// addresses, so `sesame demo` alone serves http://localhost:8080 (API) and
// http://localhost:5173 (front end) and allows one to call the other.
func parseDemoFlags(args []string, stderr io.Writer) (demoConfig, error) {
	var c demoConfig
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.APIAddr, "api-addr", "localhost:8080", "listen address of the API")
	fs.StringVar(&c.AppAddr, "app-addr", "localhost:5173", "listen address of the front end (empty: API only)")
	fs.StringVar(&c.Store, "store", "", "session store: memory, bolt:PATH, redis://…, redis-cluster://host:port,host:port, postgres://… (default bolt:DATA-DIR/sessions.db)")
	fs.Var((*listFlag)(&c.FrontendOrigins), "frontend-origin", "origin of a front end allowed to call the API with credentials (repeatable; default: the front end this demo serves)")
	fs.StringVar(&c.PublicOrigin, "public-origin", "", "the API's origin as browsers see it, e.g. https://api.example.com (default: http://API-ADDR)")
	fs.Var((*listFlag)(&c.TrustProxy), "trust-proxy", "proxies whose forwarding headers are believed: CIDRs, named ranges (loopback, private) or a hop count (repeatable; default: none)")
	fs.StringVar(&c.DataDir, "data-dir", ".sesame", "directory for the embedded store and the generated signing key (created if missing)")
	fs.StringVar(&c.SecretFile, "secret-file", "", "file holding signing keys, base64url, one per line, the first signs (default DATA-DIR/secret.key, generated if missing)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 0, "end a session idle this long, e.g. 30m (default: the library's, 30m)")
	fs.DurationVar(&c.AbsoluteTimeout, "absolute-timeout", 0, "end a session this long after sign-in, e.g. 24h (default: the library's, 24h)")
	fs.BoolVar(&c.OtelStdout, "otel-stdout", false, "print the sessions' OpenTelemetry metrics (every 30s and at exit) and store-call spans to standard output, as JSON")
	fs.BoolVar(&c.Dev, "dev", false, "development mode: tell the browser why a request has no session (Sesame-Why header)")
	fs.StringVar(&c.Compat, "compat", "", "express: share sessions with an Express app (express-session + connect-redis + passport) on the Redis --store names; --secret-file then holds the Express secrets, one a line, the signing one first, and --idle-timeout is its cookie.maxAge")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("sesame demo: unexpected argument %q", fs.Arg(0))
	}

	var errs []error
	if c.APIAddr == "" {
		errs = append(errs, errors.New("--api-addr must not be empty"))
	}
	if c.PublicOrigin == "" && c.APIAddr != "" {
		o, err := originOf(c.APIAddr)
		errs = append(errs, err)
		c.PublicOrigin = o
	}
	if len(c.FrontendOrigins) == 0 && c.AppAddr != "" {
		o, err := originOf(c.AppAddr)
		errs = append(errs, err)
		c.FrontendOrigins = []string{o}
	}
	if c.IdleTimeout < 0 || c.AbsoluteTimeout < 0 {
		errs = append(errs, errors.New("--idle-timeout and --absolute-timeout must not be negative"))
	}
	if c.Compat != "" && c.Compat != "express" {
		errs = append(errs, fmt.Errorf("--compat %q: the one compatibility mode is express", c.Compat))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir must not be empty"))
	}
	if c.Store == "" {
		c.Store = "bolt:" + filepath.Join(c.DataDir, "sessions.db")
	}
	return c, errors.Join(errs...)
}

// originOf is the http origin a browser uses for a listen address: an unspecified
// or empty host becomes localhost (127.0.0.1 and localhost are different sites to a
// browser, and the demo's defaults say localhost).
func originOf(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", addr, err)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
