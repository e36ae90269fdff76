package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/cmd/sesame/internal/browserprobe"
	dr "github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// demoPair serves `sesame demo`'s API and its front end over TLS, each on its
// own port of 127.0.0.1, for the host names apiHost and appHost (which Chromium
// and the HTTP probe reach through --resolve). It returns the API's and the
// front end's origins.
func demoPair(t *testing.T, pki testPKI, apiHost, appHost string) (api, app string) {
	t.Helper()
	leaf, err := tls.LoadX509KeyPair(pki.certFile, pki.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	apiSrv := httptest.NewUnstartedServer(nil)
	appSrv := httptest.NewUnstartedServer(nil)
	api = fmt.Sprintf("https://%s:%d", apiHost, apiSrv.Listener.Addr().(*net.TCPAddr).Port)
	app = fmt.Sprintf("https://%s:%d", appHost, appSrv.Listener.Addr().(*net.TCPAddr).Port)
	apiH, appH, _, closeFn, err := DemoHandlers(context.Background(), []string{
		"--public-origin=" + api, "--frontend-origin=" + app, "--data-dir=" + t.TempDir(), "--store=memory"}, nil)
	if err != nil {
		apiSrv.Listener.Close()
		appSrv.Listener.Close()
		t.Fatal(err)
	}
	for _, s := range []struct {
		srv *httptest.Server
		h   http.Handler
	}{{apiSrv, apiH}, {appSrv, appH}} {
		s.srv.Config.Handler = s.h
		s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
		s.srv.StartTLS()
		t.Cleanup(s.srv.Close)
	}
	t.Cleanup(closeFn)
	return api, app
}

func resolveArgs(urls ...string) []string {
	var args []string
	for _, u := range urls {
		host, port, _ := strings.Cut(strings.TrimPrefix(u, "https://"), ":")
		args = append(args, "--resolve", host+":"+port+":127.0.0.1")
	}
	return args
}

// TestDoctorBrowserAgainstDemo runs --browser against `sesame demo` served over
// TLS on fake host names, with the front end on the API's site and on another
// site: Chromium stores the session cookie and sends it back, and the report
// is as clean as the HTTP probe's.
func TestDoctorBrowserAgainstDemo(t *testing.T) {
	needChromium(t)
	pki := newTestPKI(t)
	tests := []struct {
		name, apiHost, appHost string
		want                   []problem.ID
	}{
		{"same-site", "api.example.test", "app.example.test", nil},
		// sesame's SameSite=None; Secure; Partitioned: Chromium keeps it, and
		// the HTTP probe warns that it is a third-party cookie all the same.
		{"cross-site", "api.site-b.test", "app.site-a.test", []problem.ID{problem.ThirdPartyBlocking}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, app := demoPair(t, pki, tt.apiHost, tt.appHost)
			args := append(resolveArgs(api, app), "--browser", "--origin", app, "--cacert", pki.caFile,
				"--login", api+"/api/login", "--data", `{"username":"alice","password":"wonderland"}`, api+"/api/me")
			r, code, stderr := runDoctor(t, args...)
			if rules := r.Rules(); !slices.Equal(rules, tt.want) || code != 0 || r.Report.Errors() != 0 {
				t.Errorf("got rules %v and exit %d, want %v and 0; stderr: %s\n%+v", rules, code, tt.want, stderr, r.Findings)
			}
			var last *dr.Exchange
			for i := range r.Exchanges {
				if ex := &r.Exchanges[i]; ex.Probe == dr.ProbeBrowser && ex.Step == "request" {
					last = ex
				}
			}
			if last == nil {
				t.Fatalf("no browser exchange for the request in %+v", r.Exchanges)
			}
			if last.Status != 200 || !strings.Contains(last.Request.Get("Cookie"), "sid") {
				t.Errorf("Chromium's request: got status %d with Cookie %q, want 200 with the session cookie", last.Status, last.Request.Get("Cookie"))
			}
		})
	}
}

// TestDoctorBrowserPageOmitsCredentials opens the demo's front end with
// ?credentials=omit after a login: its requests to the API go without the
// cookie Chromium holds, which is SES009, naming the request and both fixes.
func TestDoctorBrowserPageOmitsCredentials(t *testing.T) {
	needChromium(t)
	pki := newTestPKI(t)
	api, app := demoPair(t, pki, "api.example.test", "app.example.test")
	for _, tt := range []struct {
		query string
		want  []problem.ID
	}{
		{"?credentials=omit", []problem.ID{problem.NoCredentialsSent}},
		{"?credentials=omit&client=axios", []problem.ID{problem.NoCredentialsSent}},
		{"", nil},
	} {
		t.Run(tt.query, func(t *testing.T) {
			args := append(resolveArgs(api, app), "--browser", "--origin", app, "--cacert", pki.caFile,
				"--login", api+"/api/login", "--data", `{"username":"alice","password":"wonderland"}`,
				"--page", app+"/"+tt.query, "--wait", "2s", api+"/api/me")
			r, code, stderr := runDoctor(t, args...)
			if got := rulesBy(r.Report, dr.ProbeBrowser); !slices.Equal(got, tt.want) {
				t.Fatalf("browser rules: got %v, want %v; exit %d; stderr: %s\n%+v", got, tt.want, code, stderr, r.Findings)
			}
			if tt.want == nil {
				if code != 0 {
					t.Errorf("exit status: got %d, want 0; stderr %s", code, stderr)
				}
				return
			}
			f := r.Findings[0]
			for _, want := range []string{"GET " + api + "/api/me", "credentials: 'include'", "withCredentials: true"} {
				if !strings.Contains(f.Evidence+f.Detail+f.Fix, want) {
					t.Errorf("SES009 finding: got %+v, want it to name %q", f, want)
				}
			}
			if code != 1 {
				t.Errorf("exit status: got %d, want 1; stderr %s", code, stderr)
			}
		})
	}
}

// TestDoctorBrowserFallsBack: without a Chromium, --browser says so and runs
// the HTTP probe.
func TestDoctorBrowserFallsBack(t *testing.T) {
	pki := newTestPKI(t)
	api, app := demoPair(t, pki, "api.example.test", "app.example.test")
	args := append(resolveArgs(api, app), "--browser", "--browser-path", "/nonexistent/chromium",
		"--origin", app, "--cacert", pki.caFile, api+"/api/me")
	r, code, stderr := runDoctor(t, args...)
	if !strings.Contains(stderr, "falling back to the HTTP probe") {
		t.Errorf("stderr: got %q, want it to say it falls back to the HTTP probe", stderr)
	}
	if code != 0 || len(r.Exchanges) == 0 {
		t.Errorf("got exit %d and %d exchanges, want 0 and the HTTP probe's", code, len(r.Exchanges))
	}
	for _, ex := range r.Exchanges {
		if ex.Probe != dr.ProbeHTTP {
			t.Errorf("exchange %s: got probe %q, want %q", ex.Step, ex.Probe, dr.ProbeHTTP)
		}
	}
}

// TestBrowserLeavesNoProcess: after a run, finished or cut short by its
// context, no process of Chromium's group is left.
func TestBrowserLeavesNoProcess(t *testing.T) {
	needChromium(t)
	pki := newTestPKI(t)
	api, app := demoPair(t, pki, "api.example.test", "app.example.test")
	resolve := map[string]string{"api.example.test": "127.0.0.1", "app.example.test": "127.0.0.1"}
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		wait    time.Duration
	}{
		{"finished", time.Minute, 0},
		{"cut short", 10 * time.Second, time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			cfg := browserprobe.Config{
				Probe:   dr.ProbeConfig{Origin: app, URL: api + "/api/me"},
				Resolve: resolve,
			}
			if tt.wait > 0 {
				cfg.Page, cfg.Wait = app+"/", tt.wait
			}
			spki, err := spkiHashes(pki.certFile)
			if err != nil {
				t.Fatal(err)
			}
			cfg.TrustSPKI = spki
			res, err := browserprobe.Run(ctx, cfg)
			if tt.wait == 0 && err != nil {
				t.Fatal(err)
			}
			if tt.wait > 0 && err == nil {
				t.Fatal("a run cut short by its context returned no error")
			}
			if res == nil || res.PID == 0 {
				t.Fatalf("got result %+v, want the browser's PID", res)
			}
			if browserprobe.GroupRunning(res.PID) {
				t.Errorf("process group %d still has a running process after Run returned", res.PID)
			}
		})
	}
}
