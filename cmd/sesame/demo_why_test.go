package main_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
	"github.com/sesame-go/sesame/session"
)

// TestDemoWhy: in development mode the demo's 401 explains, in the library's
// words (session.Reason.Explain), why the request has no session, next to the
// Sesame-Why code; without --dev it says only "Sign in first."
func TestDemoWhy(t *testing.T) {
	for _, dev := range []bool{true, false} {
		args := []string{"--public-origin=http://localhost:8080", "--frontend-origin=http://localhost:5173",
			"--data-dir=" + t.TempDir(), "--app-addr=", "--store=memory"}
		if dev {
			args = append(args, "--dev")
		}
		handler, _, _, closeFn, err := main.DemoHandlers(context.Background(), args, nil)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(handler)
		req, _ := http.NewRequest("GET", srv.URL+"/api/me", nil)
		req.Header.Set("Origin", "http://localhost:5173")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Detail string }
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		srv.Close()
		closeFn()
		if err != nil {
			t.Fatal(err)
		}
		want, wantWhy := "Sign in first.", ""
		if dev {
			want, wantWhy = session.NoCookie.Explain(), session.NoCookie.String()
		}
		if resp.StatusCode != 401 || body.Detail != want {
			t.Errorf("dev=%v: got %d %q, want 401 %q", dev, resp.StatusCode, body.Detail, want)
		}
		if got := resp.Header.Get("Sesame-Why"); got != wantWhy {
			t.Errorf("dev=%v: Sesame-Why: got %q, want %q", dev, got, wantWhy)
		}
	}
}
