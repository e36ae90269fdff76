//go:build !race

package contestant_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sesame-go/sesame/bench/check"
	"github.com/sesame-go/sesame/bench/contestant"
)

// sesame's CORS stage adds no allocation to a request, preflight or actual,
// behind the same mux as /bare (issue 16's target). Not built with -race, whose
// instrumentation allocates.
func TestCORSAllocationsOverBare(t *testing.T) {
	srv, err := contestant.New(contestant.Options{Only: []string{"sesame-cors"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	allocs := func(l check.Load) float64 {
		base := httptest.NewRequest(l.Method, "http://127.0.0.1"+l.Path, nil)
		for k, v := range l.Header {
			base.Header.Set(k, v)
		}
		w := &discard{h: http.Header{}}
		return testing.AllocsPerRun(200, func() {
			r := *base
			clear(w.h)
			w.code = 0
			h.ServeHTTP(w, &r)
			if w.code/100 != 2 {
				t.Fatalf("%s %s: got status %d, want 2xx", l.Method, l.Path, w.code)
			}
		})
	}
	bare := allocs(check.Bare("go"))
	c, _ := contestant.Lookup("sesame-cors")
	loads := check.Loads(c.Name, c.Kind)
	if len(loads) != 2 {
		t.Fatalf("got %d loads for sesame-cors, want preflight and actual", len(loads))
	}
	for _, l := range loads {
		if got := allocs(l); got != bare {
			t.Errorf("%s: got %v allocations per request, /bare %v: want none over bare", l.Endpoint, got, bare)
		}
	}
}
