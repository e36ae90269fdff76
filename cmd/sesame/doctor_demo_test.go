package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
	"github.com/sesame-go/sesame/doctor"
)

// TestDoctorAgainstDemo probes the demo as `sesame demo` runs it, the way a front end
// on http://localhost:5173 would use it: a preflight, a JSON login, and the
// credentialed request with the cookie it received. The doctor must find nothing.
func TestDoctorAgainstDemo(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	api := fmt.Sprintf("http://localhost:%d", port)
	handler, _, _, closeFn, err := main.DemoHandlers(context.Background(), []string{
		"--public-origin=" + api, "--frontend-origin=" + frontend, "--data-dir=" + t.TempDir(),
		"--app-addr=", "--store=memory"}, nil)
	if err != nil {
		srv.Listener.Close()
		t.Fatal(err)
	}
	srv.Config.Handler = handler
	srv.Start()
	t.Cleanup(func() { srv.Close(); closeFn() })

	var stdout, stderr bytes.Buffer
	code := main.Run(context.Background(), []string{"doctor", "--json", "--origin", frontend,
		"--resolve", fmt.Sprintf("localhost:%d:127.0.0.1", port),
		"--login", api + "/api/login", "--data", `{"username":"alice","password":"wonderland"}`,
		api + "/api/me"}, &stdout, &stderr)
	var report doctor.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("output is not JSON (%v); stderr: %s", err, stderr.String())
	}
	if rules := report.Rules(); len(rules) != 0 || code != 0 {
		t.Errorf("got rules %v and exit %d, want none and 0\n%s", rules, code, stdout.String())
	}
	last := report.Exchanges[len(report.Exchanges)-1]
	if last.Status != 200 || last.Request.Get("Cookie") == "" {
		t.Errorf("final request: got status %d with Cookie %q, want 200 with the session cookie", last.Status, last.Request.Get("Cookie"))
	}
}
