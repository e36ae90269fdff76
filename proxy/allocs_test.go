//go:build !race

package proxy_test

import (
	"testing"

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
