package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	dr "github.com/sesame-go/sesame/doctor"
)

// doctor probes a backend as a browser on the front end's origin would, and prints
// each finding with its evidence, cause and fix. Exit status: 0 no errors (warnings
// allowed), 1 errors found, 2 could not probe.
func doctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: sesame doctor --origin FRONTEND_ORIGIN [flags] API_URL

Behaves as a browser on FRONTEND_ORIGIN would when its JavaScript calls
fetch(API_URL, {credentials: 'include'}): a preflight when one is needed, an optional
login whose cookies are kept as a browser keeps them, then the credentialed request.
Prints each finding: rule id, evidence (the exact header), cause and fix.

With --browser the same sequence also runs inside a real Chromium page on
FRONTEND_ORIGIN (served by DevTools request interception; fresh profile, third-party
cookies blocked as in a default profile), and each finding comes with Chromium's
own evidence: the reasons it refused or withheld a cookie and the CORS error it
raised. Findings only the HTTP probe can make (Vary, exposed headers, other
browsers' rules) are added, each marked with the probe that made it. With --page
URL the real front end is opened instead (after --login) and runs for --wait;
every request it sends to the API without the cookie the browser holds is
reported (SES009). Without a Chromium, --browser says so and runs the HTTP probe.

example:
  sesame doctor --origin https://app.example.com \
      --login https://api.example.com/api/login --data '{"user":"ann","password":"x"}' \
      https://api.example.com/api/me
  sesame doctor --browser --origin https://app.example.com \
      --login https://api.example.com/api/login --data '{"user":"ann","password":"x"}' \
      --page https://app.example.com/ https://api.example.com/api/me

flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nexit status: 0 no errors (warnings allowed), 1 errors found, 2 could not probe\n")
	}
	var (
		headers, resolves multiFlag
		cfg               dr.ProbeConfig
		cacert            string
		asJSON            bool
		timeout           time.Duration
	)
	fs.StringVar(&cfg.Origin, "origin", "", "the front end's origin, e.g. https://app.example.com (required)")
	fs.StringVar(&cfg.Method, "method", "GET", "method of the request to API_URL")
	fs.Var(&headers, "header", "a header the front end's fetch sets, \"Name: value\" (repeatable)")
	fs.StringVar(&cfg.LoginURL, "login", "", "POST this URL first, as the front end's login does")
	fs.StringVar(&cfg.LoginBody, "data", "", "the login's body (JSON, sent as application/json)")
	fs.Var(&resolves, "resolve", "host:port:addr, connect to addr for host:port (repeatable; test fake names locally)")
	fs.StringVar(&cacert, "cacert", "", "PEM file of CA certificates to trust in addition to the system's")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.DurationVar(&timeout, "timeout", 30*time.Second, "give up after this long")
	var bf browserFlags
	fs.BoolVar(&bf.on, "browser", false, "also run the probe in a real Chromium (fresh profile, third-party cookies blocked as by default) and report what it did")
	fs.StringVar(&bf.path, "browser-path", "", "the Chromium to run with --browser (default: chromium, chromium-browser, google-chrome on PATH)")
	fs.StringVar(&bf.page, "page", "", "with --browser: open this real front-end page (after --login), let it run for --wait, and judge every request it makes to the API")
	fs.DurationVar(&bf.wait, "wait", 5*time.Second, "with --page: how long the page runs")
	fs.BoolVar(&bf.thirdParty, "third-party-cookies", false, "with --browser: allow third-party cookies in the profile (the other setting users may have)")

	// Flags may follow the URL: parse, take the positional argument, parse on.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 || cfg.Origin == "" {
		fmt.Fprintln(stderr, "sesame doctor: need --origin and exactly one API URL")
		fs.Usage()
		return 2
	}
	cfg.URL = positional[0]
	h := http.Header{}
	for _, line := range headers {
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			fmt.Fprintf(stderr, "sesame doctor: --header %q is not \"Name: value\"\n", line)
			return 2
		}
		h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	cfg.Header = h
	rt, err := transport(resolves, cacert)
	if err != nil {
		fmt.Fprintf(stderr, "sesame doctor: %v\n", err)
		return 2
	}
	cfg.Transport = rt

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var report *dr.Report
	if bf.page != "" {
		bf.on = true
	}
	if bf.on {
		bf.resolves, bf.cacert = resolves, cacert
		report, err = browserDoctor(ctx, cfg, &bf, stderr)
	} else {
		report, err = dr.Probe(ctx, cfg)
	}
	if report != nil {
		if bf.browserName != "" && !asJSON {
			fmt.Fprintf(stdout, "browser: %s (fresh profile, third-party cookies %s)\n", bf.browserName, map[bool]string{false: "blocked", true: "allowed"}[bf.thirdParty])
		}
		if asJSON {
			writeJSON(stdout, report)
		} else {
			writeText(stdout, report)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "sesame doctor: could not probe: %v\n", err)
		return 2
	}
	if report.Errors() > 0 {
		return 1
	}
	return 0
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// transport dials the --resolve addresses and trusts the --cacert roots. It uses no
// proxy: the probe speaks to the API directly, as the names resolve.
func transport(resolves []string, cacert string) (http.RoundTripper, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	if len(resolves) > 0 {
		to := map[string]string{}
		for _, r := range resolves {
			// host:port:addr, where addr may be an IPv6 literal with colons.
			parts := strings.SplitN(r, ":", 3)
			if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
				return nil, fmt.Errorf("--resolve %q is not host:port:addr", r)
			}
			addr := strings.Trim(parts[2], "[]")
			to[net.JoinHostPort(strings.ToLower(parts[0]), parts[1])] = net.JoinHostPort(addr, parts[1])
		}
		d := &net.Dialer{Timeout: 10 * time.Second}
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if mapped, ok := to[strings.ToLower(addr)]; ok {
				addr = mapped
			}
			return d.DialContext(ctx, network, addr)
		}
	}
	if cacert != "" {
		pem, err := os.ReadFile(cacert)
		if err != nil {
			return nil, fmt.Errorf("--cacert: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert %s: no PEM certificate in it", cacert)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t, nil
}

func writeJSON(w io.Writer, r *dr.Report) {
	out := struct {
		*dr.Report
		Errors   int `json:"errors"`
		Warnings int `json:"warnings"`
	}{r, r.Errors(), r.Warnings()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

func writeText(w io.Writer, r *dr.Report) {
	fmt.Fprintf(w, "sesame doctor: a page on %s calling %s (%s), with credentials\n\n", r.Origin, r.URL, r.Relation)
	for _, ex := range r.Exchanges {
		var notes []string
		if c := ex.Request.Get("Cookie"); c != "" {
			notes = append(notes, "sent cookies: "+cookieNames(c))
		}
		if len(ex.Stored) > 0 {
			notes = append(notes, "stored: "+strings.Join(ex.Stored, ", "))
		}
		switch {
		case ex.Diagnosis:
			notes = append(notes, "asked by the doctor to find the cause")
		case ex.Unsent:
			notes = append(notes, "a browser would not send this: its preflight was refused")
		case ex.Blocked:
			notes = append(notes, "a browser stops here")
		}
		step := ex.Step
		if ex.Probe == dr.ProbeBrowser {
			step = "chromium " + step
		}
		fmt.Fprintf(w, "  %-17s %-7s %s -> %d", step, ex.Method, ex.URL, ex.Status)
		if len(notes) > 0 {
			fmt.Fprintf(w, "  (%s)", strings.Join(notes, "; "))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	for _, f := range r.Findings {
		rule, _ := dr.Lookup(f.Rule)
		by := ""
		if f.Probe != "" {
			by = " (" + f.Probe + " probe)"
		}
		fmt.Fprintf(w, "%s %s%s: %s\n", f.Rule, f.Severity, by, rule.Title)
		fmt.Fprintf(w, "  at:       %s %s\n", f.Step, f.URL)
		for i, line := range strings.Split(f.Evidence, "\n") {
			label := "evidence:"
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(w, "  %-9s %s\n", label, line)
		}
		fmt.Fprintf(w, "  detail:   %s\n", f.Detail)
		fmt.Fprintf(w, "  cause:    %s\n", rule.Cause)
		if f.Fix != "" {
			fmt.Fprintf(w, "  fix:      %s\n", f.Fix)
		}
		fmt.Fprintf(w, "  sesame:   %s\n", rule.Fix)
		if rule.Express != "" {
			fmt.Fprintf(w, "  express:  %s\n", rule.Express)
		}
		fmt.Fprintf(w, "  docs:     %s\n", rule.URL())
		for i, c := range f.Consequences {
			label := "follows:"
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(w, "  %-9s %s %s at %s: %s\n", label, c.Rule, c.Severity, c.Step, c.Detail)
		}
		fmt.Fprintln(w)
	}
	switch e, wn := r.Errors(), r.Warnings(); {
	case e == 0 && wn == 0:
		fmt.Fprintln(w, "No problems found: a browser on this origin gets its cookie and can read the responses.")
	default:
		fmt.Fprintf(w, "%d error(s), %d warning(s).\n", e, wn)
	}
}

// cookieNames lists the names in a Cookie header, never the values (session IDs).
func cookieNames(header string) string {
	var names []string
	for pair := range strings.SplitSeq(header, ";") {
		name, _, _ := strings.Cut(strings.TrimSpace(pair), "=")
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}
