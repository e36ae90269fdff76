package sesame_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
)

// TestStackHandsTheSessionTheProxysView: the session stage no longer imports
// proxy; the Stack hands it the proxy stage's scheme and host. Behind a trusted
// proxy, the forwarded host is the one the cookie's Domain is checked against;
// from an untrusted peer, the connection's own host is, and the cookie (Domain
// example.com on a request for 127.0.0.1) cannot be set.
func TestStackHandsTheSessionTheProxysView(t *testing.T) {
	tests := []struct {
		name    string
		trusted []string
		want    bool // a session cookie is set
	}{
		{"trusted proxy", []string{"loopback"}, true},
		{"untrusted peer", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := sesame.New(sesame.Config{
				APIOrigin: "https://api.example.com", TrustedProxies: tt.trusted, CookieDomain: "example.com",
				Keys: [][]byte{testKey}, Store: memStore(t), Logger: slog.New(slog.DiscardHandler),
			})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(st.Handler(login))
			defer srv.Close()
			req, _ := http.NewRequest("POST", srv.URL+"/login", nil)
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-Host", "api.example.com")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			line := resp.Header.Get("Set-Cookie")
			if got := strings.HasPrefix(line, "sid="); got != tt.want {
				t.Errorf("got Set-Cookie %q, want a session cookie: %v", line, tt.want)
			}
		})
	}
}
