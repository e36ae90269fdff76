package cors_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/problem"
)

// TestOnRefuse checks that OnRefuse hears of every refused preflight, with its
// rule, and of nothing else.
func TestOnRefuse(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		want []problem.ID
	}{
		{"preflight from an origin not allowed", request("OPTIONS", "https://evil.test", map[string]string{
			"Access-Control-Request-Method": "PUT"}), []problem.ID{problem.OriginMismatch}},
		{"preflight for a method not allowed", request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PURGE"}), []problem.ID{problem.PreflightDenied}},
		{"preflight for a header not allowed", request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-secret"}), []problem.ID{problem.PreflightDenied}},
		{"preflight allowed", request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PUT"}), nil},
		{"actual request from an origin not allowed", request("POST", "https://evil.test", nil), nil},
		{"actual request allowed", request("POST", "https://app.example.com", nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []problem.ID
			c := newCORS(t, cors.Config{Methods: []string{"PUT"}, OnRefuse: func(r *http.Request, rule problem.ID) {
				if r != tt.r {
					t.Errorf("OnRefuse got another request than the one served")
				}
				got = append(got, rule)
			}})
			c.Handler(bare).ServeHTTP(httptest.NewRecorder(), tt.r)
			if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
				t.Errorf("got refusals %v, want %v", got, tt.want)
			}
		})
	}
}

// TestOnRefuseOverSocket refuses a preflight sent over a real connection.
func TestOnRefuseOverSocket(t *testing.T) {
	var mu sync.Mutex
	var got []problem.ID
	c := newCORS(t, cors.Config{OnRefuse: func(_ *http.Request, rule problem.ID) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, rule)
	}})
	srv := httptest.NewServer(c.Handler(bare))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodOptions, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", "https://evil.test")
	req.Header.Set("Access-Control-Request-Method", "POST")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("got status %d, want 403", res.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != problem.OriginMismatch {
		t.Errorf("got refusals %v, want [%s]", got, problem.OriginMismatch)
	}
}
