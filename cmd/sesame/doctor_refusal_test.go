package main_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"slices"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// startDemo serves the demo's API as `sesame demo` builds it from args (plus an
// in-memory store and a temporary data directory) on a loopback port, and returns
// the port. With certFile and keyFile it serves HTTPS.
func startDemo(t *testing.T, certFile, keyFile string, args func(port int) []string) int {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	handler, _, _, closeFn, err := main.DemoHandlers(context.Background(),
		append(args(port), "--data-dir="+t.TempDir(), "--app-addr=", "--store=memory"), nil)
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	srv.Config.Handler = handler
	if certFile != "" {
		leaf, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() { srv.Close(); closeFn() })
	return port
}

// runDoctor runs `sesame doctor --json args...` and returns its report and exit status.
func runDoctor(t *testing.T, args ...string) (doctor.Report, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := main.Run(context.Background(), append([]string{"doctor", "--json"}, args...), &stdout, &stderr)
	var report doctor.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("output is not JSON (%v); stderr: %s", err, stderr.String())
	}
	return report, code, stdout.String()
}

// TestDoctorSesameRefusals probes the demo with front ends sesame refuses on
// purpose. The doctor must name the refusal's cause (SES035: the origin is not
// allowed; SES011: a header is not allowed), not take a CORS layer that answered
// for one that was never reached (SES010), and fold what follows from the cause
// (the refused login sets no cookie, SES036) under it instead of reporting it as a
// second problem. In Dev mode the refusal carries Sesame-Cors-Error; without it the
// prober tells the refusal from the answer's Vary and follow-up preflights.
func TestDoctorSesameRefusals(t *testing.T) {
	const allowed = "http://localhost:5173"
	tests := []struct {
		name   string
		dev    bool
		origin string
		header string
		want   []problem.ID // the root findings, in order
		folded []problem.ID // rules folded under the first root
	}{
		{"origin not allowed", false, "http://localhost:5174", "", []problem.ID{problem.OriginMismatch}, []problem.ID{problem.NoCookieSet}},
		{"origin not allowed, dev", true, "http://localhost:5174", "", []problem.ID{problem.OriginMismatch}, []problem.ID{problem.NoCookieSet}},
		{"header not allowed", false, allowed, "X-Requested-With: XMLHttpRequest", []problem.ID{problem.PreflightDenied}, nil},
		{"header not allowed, dev", true, allowed, "X-Requested-With: XMLHttpRequest", []problem.ID{problem.PreflightDenied}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port := startDemo(t, "", "", func(port int) []string {
				args := []string{fmt.Sprintf("--public-origin=http://localhost:%d", port), "--frontend-origin=" + allowed}
				if tt.dev {
					args = append(args, "--dev")
				}
				return args
			})
			api := fmt.Sprintf("http://localhost:%d", port)
			args := []string{"--origin", tt.origin, "--resolve", fmt.Sprintf("localhost:%d:127.0.0.1", port),
				"--login", api + "/api/login", "--data", `{"username":"alice","password":"wonderland"}`}
			if tt.header != "" {
				args = append(args, "--header", tt.header)
			}
			report, code, out := runDoctor(t, append(args, api+"/api/me")...)
			if got := report.Rules(); !slices.Equal(got, tt.want) {
				t.Errorf("root findings: got %v, want %v\n%s", got, tt.want, out)
			}
			if code != 1 {
				t.Errorf("exit status: got %d, want 1", code)
			}
			if len(report.Findings) == 0 {
				return
			}
			var folded []problem.ID
			for _, c := range report.Findings[0].Consequences {
				folded = append(folded, c.Rule)
			}
			for _, id := range tt.folded {
				if !slices.Contains(folded, id) {
					t.Errorf("consequences of %s: got %v, want %s among them\n%s", report.Findings[0].Rule, folded, id, out)
				}
			}
			for _, c := range report.Findings[0].Consequences {
				if c.Rule == problem.PreflightNotReached {
					t.Errorf("consequences: got %s, want no SES010 anywhere (a CORS layer answered)\n%s", c.Rule, out)
				}
			}
		})
	}
}

// TestDoctorSesameCrossSite probes the demo deployed for a cross-site front end
// (app.site-a.test calling api.site-b.test over https): sesame sets SameSite=None;
// Secure; Partitioned, and the doctor warns that the cookie is still a third-party
// cookie (SES007), as the catalogue says, while the session works.
func TestDoctorSesameCrossSite(t *testing.T) {
	ca, cert, key := main.NewTestPKI(t)
	const front = "https://app.site-a.test"
	port := startDemo(t, cert, key, func(port int) []string {
		return []string{fmt.Sprintf("--public-origin=https://api.site-b.test:%d", port), "--frontend-origin=" + front}
	})
	api := fmt.Sprintf("https://api.site-b.test:%d", port)
	report, code, out := runDoctor(t, "--origin", front, "--resolve", fmt.Sprintf("api.site-b.test:%d:127.0.0.1", port),
		"--cacert", ca, "--login", api+"/api/login", "--data", `{"username":"alice","password":"wonderland"}`, api+"/api/me")
	if got, want := report.Rules(), []problem.ID{problem.ThirdPartyBlocking}; !slices.Equal(got, want) || code != 0 {
		t.Errorf("got rules %v and exit %d, want %v and 0\n%s", got, code, want, out)
	}
	if report.Warnings() != 1 || report.Errors() != 0 {
		t.Errorf("got %d errors and %d warnings, want 0 and 1\n%s", report.Errors(), report.Warnings(), out)
	}
	last := report.Exchanges[len(report.Exchanges)-1]
	if last.Status != 200 || last.Request.Get("Cookie") == "" {
		t.Errorf("final request: got status %d with Cookie %q, want 200 with the session cookie", last.Status, last.Request.Get("Cookie"))
	}
}
