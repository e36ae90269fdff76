package sesame_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// TestHopCountInTrustedProxies: `TrustedProxies: []string{"1"}` (Express's
// `trust proxy 1`, the most common line people bring) is refused with SES033
// pointing at ProxyHops by the name of the API called, sesame.Config's through
// sesame.New and proxy.Config's when the stage is used alone, and the fix
// explains how a hop count and a CIDR differ. The catalogue (README, docs) says
// the same as the code (issue 14, defect 4): the entry "a hop count" it advised
// is refused.
func TestHopCountInTrustedProxies(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		entry := fmt.Sprint(n)
		_, err := sesame.New(sesame.Config{
			APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
			Keys: [][]byte{testKey}, Store: memStore(t), TrustedProxies: []string{entry},
		})
		_, stageErr := proxy.New(proxy.Config{Trusted: []string{entry}})
		for _, tt := range []struct {
			api  string
			err  error
			want string
		}{
			{"sesame", err, fmt.Sprintf("set sesame.Config.ProxyHops to %d", n)},
			{"proxy", stageErr, fmt.Sprintf("set proxy.Config.Hops to %d", n)},
		} {
			var p *problem.Problem
			if !errors.As(tt.err, &p) || p.Rule != problem.InvalidProxyConfig {
				t.Fatalf("%s %q: got %v, want %s", tt.api, entry, tt.err, problem.InvalidProxyConfig)
			}
			for _, want := range []string{tt.want, "whoever they are", "trusts only the peers it names"} {
				if !strings.Contains(p.Fix, want) {
					t.Errorf("%s %q: fix %q, want it to contain %q", tt.api, entry, p.Fix, want)
				}
			}
			if !strings.Contains(p.Detail, "hop count") {
				t.Errorf("%s %q: detail %q, want it to say it is a hop count", tt.api, entry, p.Detail)
			}
			checkText(t, tt.api, "SES033", p.Error())
		}
	}
	// The catalogue must not advise a hop count in TrustedProxies.
	r, _ := doctor.Lookup(problem.InvalidProxyConfig)
	if !strings.Contains(r.Fix, "ProxyHops") || strings.Contains(r.Fix, `"private" or a hop count`) {
		t.Errorf("catalogue SES033 fix: got %q, want it to send hop counts to ProxyHops", r.Fix)
	}
	// And ProxyHops: 1 is accepted.
	if _, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com", FrontendOrigins: []string{"https://app.example.com"},
		Keys: [][]byte{testKey}, Store: memStore(t), ProxyHops: 1,
	}); err != nil {
		t.Errorf("ProxyHops: 1: got %v, want no error", err)
	}
}
