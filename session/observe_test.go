package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// With no Observer (the default) the hook costs no allocation: the read and
// write paths allocate what they did before the hook existed (3 and 9 per
// request, measured by BenchmarkRead and BenchmarkWrite without it).
func TestObserverOffAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own; run without -race")
	}
	for _, tc := range []struct {
		name string
		max  float64
		h    func(w http.ResponseWriter, r *http.Request)
	}{
		{"read", 3, func(w http.ResponseWriter, r *http.Request) {
			if session.From(r.Context()).Has("user") {
				io.WriteString(w, "alice")
			}
		}},
		{"write", 9, func(w http.ResponseWriter, r *http.Request) {
			session.Set(session.From(r.Context()), "counter", 1)
			io.WriteString(w, "ok")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, session.Config{}, app)
			ck := sessionCookie(t, f.do("GET", "/set?k=user&v=alice", ""))
			h := f.m.Handler(http.HandlerFunc(tc.h))
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Cookie", ck)
			w := &nopWriter{h: make(http.Header)}
			got := testing.AllocsPerRun(200, func() {
				clear(w.h)
				h.ServeHTTP(w, req)
			})
			if got > tc.max {
				t.Errorf("got %v allocations per request, want at most %v (as before the Observer hook)", got, tc.max)
			}
		})
	}
}
