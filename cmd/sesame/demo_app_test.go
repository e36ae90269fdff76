package main_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

func TestFrontEnd(t *testing.T) {
	_, app, _, closeFn, err := main.DemoHandlers(t.Context(),
		[]string{"--store=memory", "--data-dir=" + t.TempDir(), "--public-origin=https://api.example.test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	srv := httptest.NewServer(app)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	tests := []struct {
		path, wantType, wantBody string
		wantStatus               int
	}{
		{"/", "text/html", `<meta name="sesame-api" content="https://api.example.test">`, 200},
		{"/app.js", "text/javascript", "credentials = 'include'", 200},
		{"/style.css", "text/css", ":root", 200},
		{"/vendor/axios-1.21.1.min.js", "text/javascript", "Axios v1.21.1", 200},
		{"/vendor/axios-LICENSE", "", "Matt Zabriskie", 200},
		{"/index.html", "", "", http.StatusMovedPermanently},
		{"/nothing.js", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, err := client.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("GET %s: got %d, want %d", tt.path, res.StatusCode, tt.wantStatus)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("GET %s Content-Type: got %q, want %q", tt.path, ct, tt.wantType)
			}
			if !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET %s: body lacks %q", tt.path, tt.wantBody)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "script-src") {
				t.Errorf("GET %s CSP: got %q, want scripts from 'self' only", tt.path, csp)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s X-Content-Type-Options: got %q, want nosniff", tt.path, got)
			}
		})
	}
}
