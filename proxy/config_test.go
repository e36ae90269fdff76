package proxy_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

func TestNewAccepts(t *testing.T) {
	cases := []struct {
		name string
		cfg  proxy.Config
	}{
		{"zero", proxy.Config{}},
		{"named ranges any case", trust("loopback", "LinkLocal", "private", "uniquelocal")},
		{"CIDRs", trust("10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32")},
		{"addresses", trust("10.1.2.3", "::1", "::ffff:10.0.0.1")},
		{"netmask", trust("192.168.0.0/255.255.0.0")},
		{"mapped CIDR", trust("::ffff:10.0.0.0/104")},
		{"comma-separated", trust(" loopback , 10.0.0.0/8 ")},
		{"hops", hops(3)},
		{"hops at the limit", hops(64)},
		{"Forwarded", rfc7239("loopback")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := proxy.New(tc.cfg); err != nil {
				t.Errorf("New: got %v, want nil", err)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	cases := []struct {
		name    string
		cfg     proxy.Config
		want    int    // problems joined
		mention string // in the first problem's text
	}{
		{"not an address", trust("proxy.internal"), 1, `"proxy.internal"`},
		{"empty entry", trust(""), 1, "empty entry"},
		{"empty item in a list", trust("loopback,"), 1, "not an IP address"},
		{"host bits set", trust("10.0.0.1/8"), 1, `"10.0.0.0/8" for the range or "10.0.0.1"`},
		{"IPv6 host bits set", trust("fc00:ac:1ab5:fff::1/64"), 1, "fc00:ac:1ab5:fff::/64"},
		{"prefix too long", trust("10.0.0.0/33"), 1, "prefix length 33"},
		{"prefix not a number", trust("10.0.0.0/x"), 1, "prefix length"},
		{"non-contiguous netmask", trust("10.0.0.0/255.0.255.0"), 1, "not contiguous"},
		{"zone", trust("fe80::1%eth0"), 1, "zone"},
		{"everything IPv4", trust("0.0.0.0/0"), 1, "every address"},
		{"everything IPv6", trust("::/0"), 1, "every address"},
		{"negative hops", hops(-1), 1, "Hops is -1"},
		{"hops beyond the walk limit", hops(65), 1, "walk limit"},
		{"both Trusted and Hops", proxy.Config{Trusted: []string{"loopback"}, Hops: 1}, 1, "both"},
		{"unknown source", proxy.Config{Source: 7}, 1, "Source(7)"},
		{"every problem at once", proxy.Config{Trusted: []string{"x", "0.0.0.0/0", "10.0.0.1/8"}, Hops: 2, Source: 9}, 5, `"x"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := proxy.New(tc.cfg)
			if p != nil {
				t.Errorf("New: got a Proxy, want nil")
			}
			probs := problems(err)
			if len(probs) != tc.want {
				t.Fatalf("problems: got %d (%v), want %d", len(probs), err, tc.want)
			}
			for _, prob := range probs {
				if prob.Rule != problem.InvalidProxyConfig || prob.Severity != problem.Error || prob.Fix == "" {
					t.Errorf("problem: got %s %v fix %q, want %s error with a fix", prob.Rule, prob.Severity, prob.Fix, problem.InvalidProxyConfig)
				}
			}
			if got := probs[0].Error(); !strings.Contains(got, tc.mention) {
				t.Errorf("problem: got %q, want it to mention %q", got, tc.mention)
			}
		})
	}
}

func TestSourceString(t *testing.T) {
	for _, tc := range []struct {
		s    proxy.Source
		want string
	}{{proxy.XForwardedFor, "X-Forwarded-For"}, {proxy.Forwarded, "Forwarded"}, {5, "Source(5)"}} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("Source(%d).String(): got %q, want %q", int(tc.s), got, tc.want)
		}
	}
}
