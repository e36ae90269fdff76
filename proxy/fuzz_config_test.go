package proxy_test

import (
	"errors"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// FuzzTrusted: any Trusted entry is either accepted or refused with SES033
// problems that name the field by the caller's name; New never panics.
func FuzzTrusted(f *testing.F) {
	for _, s := range []string{"1", "loopback", "10.0.0.0/8", "10.0.0.1/8", "::ffff:10.0.0.0/104", "fe80::1%eth0", "0.0.0.0/0", "10.0.0.0/255.0.0.0", "a, b", ""} {
		f.Add(s)
	}
	fields := problem.Fields{"proxy.Config.Trusted": "x.Trusted", "proxy.Config.Hops": "x.Hops"}
	f.Fuzz(func(t *testing.T, entry string) {
		_, err := proxy.New(proxy.Config{Trusted: []string{entry}, Fields: fields})
		if err == nil {
			return
		}
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var p *problem.Problem
			if !errors.As(e, &p) || p.Rule != problem.InvalidProxyConfig {
				t.Fatalf("entry %q: got %v, want an SES033 problem", entry, e)
			}
		}
	})
}
