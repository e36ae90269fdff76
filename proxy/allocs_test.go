//go:build !race

package proxy_test

import (
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// Resolve sits on every request: it must not allocate for well-formed headers.
// (Not built with -race, whose instrumentation allocates.)
func TestResolveAllocatesNothing(t *testing.T) {
	for _, source := range []proxy.Source{proxy.XForwardedFor, proxy.Forwarded} {
		p := mustNew(t, proxy.Config{Trusted: []string{"10.0.0.0/8"}, Source: source})
		for _, n := range []int{1, 3, 10} {
			r := chain(source, n)
			if got := testing.AllocsPerRun(100, func() { p.Resolve(r) }); got != 0 {
				t.Errorf("%v, %d hops: got %v allocations, want 0", source, n, got)
			}
		}
	}
}

// Forwarding headers from a peer not trusted, once their cause is logged, cost
// nothing more per request, with OnRefuse unset or set.
func TestUntrustedAllocatesNothing(t *testing.T) {
	refused := 0
	for _, onRefuse := range []func(*http.Request, problem.ID){nil, func(*http.Request, problem.ID) { refused++ }} {
		p := mustNew(t, proxy.Config{Trusted: []string{"10.0.0.0/8"}, OnRefuse: onRefuse,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		for _, remote := range []string{"192.168.1.5:4000", "198.51.100.7:4000"} {
			r := request(remote, xff("203.0.113.9"))
			p.Resolve(r) // logs the cause once
			if got := testing.AllocsPerRun(100, func() { p.Resolve(r) }); got != 0 {
				t.Errorf("peer %s, OnRefuse set %v: got %v allocations, want 0", remote, onRefuse != nil, got)
			}
		}
	}
	if refused == 0 {
		t.Errorf("OnRefuse was never called")
	}
}
