//go:build !race

package cors_test

import (
	"net/http"
	"testing"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/problem"
)

// The stage sits on every request: answering an allowed preflight and passing
// an actual request on must not allocate, and OnRefuse, unset or set, must add
// no allocation to any path (a refusal builds its problem either way). Not
// built with -race, whose instrumentation allocates.
func TestHandlerAllocations(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		zero bool // must allocate nothing at all
	}{
		{"preflight allowed", request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"}), true},
		{"preflight refused", request("OPTIONS", "https://app.example.com", map[string]string{
			"Access-Control-Request-Method": "PURGE"}), false},
		{"actual allowed", request("POST", "https://app.example.com", nil), true},
		{"actual from another origin", request("POST", "https://evil.test", nil), false},
		{"actual without Origin", request("GET", "", nil), true},
	}
	allocs := func(h http.Handler, r *http.Request) float64 {
		w := &benchWriter{h: make(http.Header, 8)}
		return testing.AllocsPerRun(100, func() {
			clear(w.h)
			h.ServeHTTP(w, r)
		})
	}
	refused := 0
	off := newCORS(t, cors.Config{Methods: []string{"PUT"}}).Handler(bare)
	on := newCORS(t, cors.Config{Methods: []string{"PUT"}, OnRefuse: func(*http.Request, problem.ID) { refused++ }}).Handler(bare)
	for _, tt := range tests {
		gotOff, gotOn := allocs(off, tt.r), allocs(on, tt.r)
		if tt.zero && gotOff != 0 {
			t.Errorf("%s: got %v allocations, want 0", tt.name, gotOff)
		}
		if gotOn != gotOff {
			t.Errorf("%s: got %v allocations with OnRefuse set, want %v as without", tt.name, gotOn, gotOff)
		}
	}
	if refused == 0 {
		t.Errorf("OnRefuse was never called for the refused preflight")
	}
}
