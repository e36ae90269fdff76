package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// TestAllocations holds the request paths to their allocation counts over a
// plain handler (issue 16: a read costs at most two allocations more than bare
// net/http). The one every request that reaches the Manager pays is the request
// state (state.go: the session, the wrapped writer, the context and the request
// copy the handler sees, in one object); a typed string read adds the string it
// returns.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts (sync.Pool drops entries)")
	}
	bare := allocsPerRequest(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "alice")
	}), "")

	tests := []struct {
		name string
		h    http.HandlerFunc
		max  float64 // allocations over bare
	}{
		{"untouched", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "alice")
		}, 1},
		{"read", func(w http.ResponseWriter, r *http.Request) {
			if session.From(r.Context()).Has("user") {
				io.WriteString(w, "alice")
			}
		}, 1},
		{"read typed string", func(w http.ResponseWriter, r *http.Request) {
			u, _ := session.Get[string](session.From(r.Context()), "user")
			io.WriteString(w, u)
		}, 2},
		{"write", func(w http.ResponseWriter, r *http.Request) {
			session.Set(session.From(r.Context()), "counter", 1)
			io.WriteString(w, "ok")
		}, 7},
		{"write string", func(w http.ResponseWriter, r *http.Request) {
			session.Set(session.From(r.Context()), "n", "42")
			io.WriteString(w, "ok")
		}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, session.Config{}, app)
			ck := sessionCookie(t, f.do("GET", "/set?k=user&v=alice", ""))
			got := allocsPerRequest(t, f.m.Handler(tt.h), ck) - bare
			if got > tt.max {
				t.Errorf("got %.0f allocations per request over bare net/http, want at most %.0f", got, tt.max)
			}
			if testing.Verbose() {
				t.Logf("%s: %.0f over bare", tt.name, got)
			}
		})
	}
}

// allocsPerRequest serves the same request through h many times and returns
// the average number of allocations.
func allocsPerRequest(t *testing.T, h http.Handler, cookie string) float64 {
	t.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	w := &nopWriter{h: make(http.Header)}
	return testing.AllocsPerRun(200, func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	})
}
