package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame"
	dr "github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// expressDir holds server.js and its node_modules (npm ci, run by the Makefile).
var expressDir = filepath.Join("..", "..", "doctor", "testdata", "express")

// TestDoctorAgainstExpress probes small real Express apps (express 5,
// express-session, cors), each misconfigured in one known way, through the real
// CLI, and checks the exact rule ids found and the exit status.
func TestDoctorAgainstExpress(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: apt-get install nodejs npm, then npm ci --prefix doctor/testdata/express")
	}
	if _, err := os.Stat(filepath.Join(expressDir, "node_modules", "express-session")); err != nil {
		t.Fatal("doctor/testdata/express/node_modules is missing: run `npm ci --prefix doctor/testdata/express` from the repository root")
	}
	pki := newTestPKI(t)
	const (
		sameSite  = "https://app.example.test"
		crossSite = "https://app.site-a.test"
		httpFront = "http://app.example.test"
		devFront  = "http://localhost:5173"
		apiSame   = "api.example.test"
		apiCross  = "api.site-b.test"
	)
	tests := []struct {
		scenario string
		origin   string
		apiHost  string
		https    bool
		header   string // a header the front end's fetch sets
		want     []problem.ID
		exit     int
	}{
		{scenario: "correct", origin: sameSite, apiHost: apiSame, https: true, want: nil, exit: 0},
		{scenario: "cross-site-partitioned", origin: crossSite, apiHost: apiCross, https: true, want: []problem.ID{problem.ThirdPartyBlocking}, exit: 0},
		{scenario: "cross-site-none", origin: crossSite, apiHost: apiCross, https: true, want: []problem.ID{problem.ThirdPartyBlocking}, exit: 0},
		{scenario: "wildcard-with-credentials", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.WildcardCredentials}, exit: 1},
		{scenario: "no-credentials", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.CredentialsDisabled}, exit: 1},
		{scenario: "samesite-lax-cross-site", origin: crossSite, apiHost: apiCross, https: true, want: []problem.ID{problem.CrossSiteLax}, exit: 1},
		{scenario: "none-without-secure", origin: crossSite, apiHost: apiCross, https: true, want: []problem.ID{problem.NoneWithoutSecure}, exit: 1},
		{scenario: "secure-over-http", origin: httpFront, apiHost: apiSame, want: []problem.ID{problem.SecureOverHTTP, problem.InsecureOrigin}, exit: 1},
		{scenario: "secure-over-http", origin: devFront, apiHost: "localhost", want: []problem.ID{problem.SecureOverHTTP}, exit: 0},
		{scenario: "no-cookie", origin: devFront, apiHost: "localhost", want: []problem.ID{problem.NoCookieSet}, exit: 1},
		{scenario: "auth-before-cors", origin: sameSite, apiHost: apiSame, https: true, header: "X-Requested-With: XMLHttpRequest", want: []problem.ID{problem.PreflightNotReached}, exit: 1},
		{scenario: "method-routes", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.PreflightNotReached}, exit: 1},
		{scenario: "preflight-redirect", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.PreflightRedirect, problem.OriginMismatch}, exit: 1},
		{scenario: "duplicate-acao", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.DuplicateCORS}, exit: 1},
		{scenario: "no-vary-origin", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.MissingVaryOrigin}, exit: 0},
		{scenario: "expose-set-cookie", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.ExposeSetCookie}, exit: 0},
		{scenario: "header-not-allowed", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.PreflightDenied}, exit: 1},
		{scenario: "domain-mismatch", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.InvalidDomain}, exit: 1},
		{scenario: "origin-mismatch", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.OriginMismatch}, exit: 1},
		{scenario: "host-prefix-domain", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.CookiePrefix}, exit: 1},
		{scenario: "too-large", origin: sameSite, apiHost: apiSame, https: true, want: []problem.ID{problem.CookieTooLarge}, exit: 1},
		{scenario: "mixed-scheme", origin: httpFront, apiHost: apiSame, https: true, want: []problem.ID{problem.MixedScheme, problem.InsecureOrigin}, exit: 1},
	}
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.apiHost, func(t *testing.T) {
			t.Parallel()
			port := startExpress(t, tt.scenario, tt.https, pki)
			scheme := "http"
			if tt.https {
				scheme = "https"
			}
			api := fmt.Sprintf("%s://%s:%d", scheme, tt.apiHost, port)
			args := []string{"doctor", "--json", "--origin", tt.origin,
				"--resolve", fmt.Sprintf("%s:%d:127.0.0.1", tt.apiHost, port),
				"--cacert", pki.caFile,
				"--login", api + "/api/login", "--data", `{"user":"ann"}`}
			if tt.header != "" {
				args = append(args, "--header", tt.header)
			}
			args = append(args, api+"/api/me")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			var report struct {
				dr.Report
				Errors int `json:"errors"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("output is not JSON (%v); stderr: %s\nstdout: %s", err, stderr.String(), stdout.String())
			}
			got := report.Rules()
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules: got %v, want %v\n%s", got, want, stdout.String())
			}
			if code != tt.exit {
				t.Errorf("exit status: got %d, want %d; stderr: %s", code, tt.exit, stderr.String())
			}
			if tt.scenario == "correct" || tt.scenario == "cross-site-partitioned" {
				// The session works end to end: the cookie the probe kept was sent
				// back and the API recognised it.
				last := report.Exchanges[len(report.Exchanges)-1]
				if last.Status != 200 || last.Request.Get("Cookie") == "" {
					t.Errorf("final request: got status %d with Cookie %q, want 200 with the session cookie", last.Status, last.Request.Get("Cookie"))
				}
			}
		})
	}
}

// TestDoctorText checks the human output names the rule, quotes the evidence and
// links the docs.
func TestDoctorText(t *testing.T) {
	if _, err := os.Stat(filepath.Join(expressDir, "node_modules", "express-session")); err != nil {
		t.Fatal("doctor/testdata/express/node_modules is missing: run `npm ci --prefix doctor/testdata/express` from the repository root")
	}
	pki := newTestPKI(t)
	port := startExpress(t, "wildcard-with-credentials", true, pki)
	api := fmt.Sprintf("https://api.example.test:%d", port)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"doctor", "--origin", "https://app.example.test",
		"--resolve", fmt.Sprintf("api.example.test:%d:127.0.0.1", port), "--cacert", pki.caFile,
		api + "/api/me"}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit status: got %d, want 1; stderr: %s", code, stderr.String())
	}
	for _, want := range []string{
		"SES003 error:",
		"evidence: Access-Control-Allow-Origin: *",
		"cause:",
		"express:  cors({ origin: 'https://app.example.com', credentials: true })",
		"docs:     " + dr.DocsURL + "#ses003",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("text output: got\n%s\nwant it to contain %q", stdout.String(), want)
		}
	}
}

// TestDoctorAgainstSesame probes sesame itself, configured from one description of
// the deployment: the doctor must find nothing to fix in what sesame derives.
func TestDoctorAgainstSesame(t *testing.T) {
	pki := newTestPKI(t)
	leaf, err := tls.LoadX509KeyPair(pki.certFile, pki.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, origin, apiHost string
		want                  []problem.ID
	}{
		{"same-site", "https://app.example.test", "api.example.test", nil},
		{"cross-site", "https://app.site-a.test", "api.site-b.test", []problem.ID{problem.ThirdPartyBlocking}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, err := memstore.New(memstore.Config{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := sesame.New(sesame.Config{
				APIOrigin:       "https://" + tt.apiHost,
				FrontendOrigins: []string{tt.origin},
				Keys:            [][]byte{[]byte("doctor-test-key-0123456789abcdef0123456789")},
				Store:           store,
				Logger:          slog.New(slog.DiscardHandler),
			})
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
				s := session.From(r.Context())
				if err := s.Regenerate(); err != nil {
					http.Error(w, err.Error(), http.StatusServiceUnavailable)
					return
				}
				s.SetUser("ann")
				w.Write([]byte(`{"ok":true}`))
			})
			mux.HandleFunc("GET /api/me", func(w http.ResponseWriter, r *http.Request) {
				if session.From(r.Context()).User() == "" {
					http.Error(w, "signed out", http.StatusUnauthorized)
					return
				}
				w.Write([]byte(`{"user":"ann"}`))
			})
			srv := httptest.NewUnstartedServer(st.Handler(mux))
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
			srv.StartTLS()
			defer srv.Close()
			port := srv.Listener.Addr().(*net.TCPAddr).Port
			api := fmt.Sprintf("https://%s:%d", tt.apiHost, port)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"doctor", "--json", "--origin", tt.origin,
				"--resolve", fmt.Sprintf("%s:%d:127.0.0.1", tt.apiHost, port), "--cacert", pki.caFile,
				"--login", api + "/api/login", "--data", `{"user":"ann"}`, api + "/api/me"}, &stdout, &stderr)
			var report dr.Report
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("output is not JSON (%v); stderr: %s", err, stderr.String())
			}
			if got := report.Rules(); !slices.Equal(got, tt.want) || code != 0 {
				t.Errorf("got rules %v and exit %d, want %v and 0\n%s", got, code, tt.want, stdout.String())
			}
			last := report.Exchanges[len(report.Exchanges)-1]
			if last.Status != 200 || last.Request.Get("Cookie") == "" {
				t.Errorf("final request: got status %d with Cookie %q, want 200 with the session cookie", last.Status, last.Request.Get("Cookie"))
			}
		})
	}
}

func TestDoctorUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		exit int
	}{
		{"no origin", []string{"doctor", "https://api.example.test/api/me"}, 2},
		{"no url", []string{"doctor", "--origin", "https://app.example.test"}, 2},
		{"bad header", []string{"doctor", "--origin", "https://app.example.test", "--header", "nocolon", "https://api.example.test/"}, 2},
		{"bad resolve", []string{"doctor", "--origin", "https://app.example.test", "--resolve", "x", "https://api.example.test/"}, 2},
		{"bad origin", []string{"doctor", "--origin", "app.example.test", "https://api.example.test/"}, 2},
		{"unreachable", []string{"doctor", "--origin", "https://app.example.test", "--resolve", "api.example.test:1:127.0.0.1", "https://api.example.test:1/"}, 2},
		{"help", []string{"doctor", "-h"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(context.Background(), tt.args, &stdout, &stderr); got != tt.exit {
				t.Errorf("exit status: got %d, want %d; stderr: %s", got, tt.exit, stderr.String())
			}
		})
	}
}

// startExpress runs `node server.js SCENARIO 0 [cert key]`, waits for its
// "listening PORT" line, and stops the process by PID when the test ends.
func startExpress(t *testing.T, scenario string, tls bool, pki testPKI) int {
	t.Helper()
	args := []string{"server.js", scenario, "0"}
	if tls {
		args = append(args, pki.certFile, pki.keyFile)
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = expressDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting node server.js %s: %v", scenario, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			select {
			case lines <- s.Text():
			default:
			}
		}
		close(lines)
	}()
	// stderr is written by exec's copying goroutine until Wait returns: read it
	// only after the process is stopped and waited for (else -race reports the
	// read as a data race whenever node fails to start).
	stopped := func() string {
		cmd.Process.Kill()
		cmd.Wait()
		return stderr.String()
	}
	select {
	case line, ok := <-lines:
		var port int
		if !ok || func() bool { _, err := fmt.Sscanf(line, "listening %d", &port); return err != nil }() {
			t.Fatalf("node server.js %s did not start: got %q; stderr: %s", scenario, line, stopped())
		}
		return port
	case <-time.After(30 * time.Second):
		t.Fatalf("node server.js %s printed nothing in 30s; stderr: %s", scenario, stopped())
	}
	return 0
}

type testPKI struct{ caFile, certFile, keyFile string }

// newTestPKI makes a throwaway CA and a leaf for every name the scenarios use.
func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sesame doctor test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "api.example.test"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames:    []string{"*.example.test", "*.site-a.test", "*.site-b.test", "localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	p := testPKI{filepath.Join(dir, "ca.pem"), filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "leaf.key")}
	for file, block := range map[string]*pem.Block{
		p.caFile:   {Type: "CERTIFICATE", Bytes: caDER},
		p.certFile: {Type: "CERTIFICATE", Bytes: leafDER},
		p.keyFile:  {Type: "PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}
