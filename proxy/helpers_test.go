package proxy_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// h is one header line, in the order the request carries them.
type h struct{ name, value string }

func request(remote string, headers ...h) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://backend.internal/", nil)
	r.RemoteAddr = remote
	for _, x := range headers {
		r.Header.Add(x.name, x.value)
	}
	return r
}

func xff(v string) h                 { return h{"X-Forwarded-For", v} }
func xfp(v string) h                 { return h{"X-Forwarded-Proto", v} }
func xfh(v string) h                 { return h{"X-Forwarded-Host", v} }
func fwd(v string) h                 { return h{"Forwarded", v} }
func trust(s ...string) proxy.Config { return proxy.Config{Trusted: s} }
func hops(n int) proxy.Config        { return proxy.Config{Hops: n} }

func rfc7239(s ...string) proxy.Config {
	return proxy.Config{Trusted: s, Source: proxy.Forwarded}
}

func mustNew(t testing.TB, c proxy.Config) *proxy.Proxy {
	t.Helper()
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	p, err := proxy.New(c)
	if err != nil {
		t.Fatalf("New(%+v): %v", c, err)
	}
	return p
}

func addr(s string) netip.Addr {
	if s == "" {
		return netip.Addr{}
	}
	return netip.MustParseAddr(s)
}

// problems unpacks the *problem.Problem values joined in err.
func problems(err error) []*problem.Problem {
	var out []*problem.Problem
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var p *problem.Problem
		if errors.As(err, &p) {
			out = append(out, p)
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// clientCase is one row of the right-to-left tables: a configuration, a request,
// and the client address it must resolve to.
type clientCase struct {
	name    string
	cfg     proxy.Config
	remote  string
	headers []h
	want    string
}

func runClientCases(t *testing.T, cases []clientCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, tc.cfg)
			got := p.Resolve(request(tc.remote, tc.headers...)).ClientIP
			if want := addr(tc.want); got != want {
				t.Errorf("ClientIP: got %v, want %v", got, want)
			}
		})
	}
}

func proxyHopsForwarded(n int) proxy.Config {
	return proxy.Config{Hops: n, Source: proxy.Forwarded}
}
