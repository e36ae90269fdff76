package proxy_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/proxy"
)

// chain builds a request that crossed n proxies: the peer and n-1 proxies that
// appended to the header, in front of them the client and a spoofed entry.
func chain(source proxy.Source, n int) *http.Request {
	entries := []string{"6.6.6.6", "203.0.113.7"}
	for i := 1; i < n; i++ {
		entries = append(entries, fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.255.0.1:5000"
	if source == proxy.Forwarded {
		for i, e := range entries {
			entries[i] = "for=" + e
		}
		entries[1] += ";proto=https;host=api.example.com"
		r.Header.Set("Forwarded", strings.Join(entries, ", "))
	} else {
		r.Header.Set("X-Forwarded-For", strings.Join(entries, ", "))
		r.Header.Set("X-Forwarded-Proto", "https")
	}
	return r
}

func BenchmarkResolve(b *testing.B) {
	for _, source := range []proxy.Source{proxy.XForwardedFor, proxy.Forwarded} {
		p := mustNew(b, proxy.Config{Trusted: []string{"10.0.0.0/8"}, Source: source})
		for _, n := range []int{1, 3, 10} {
			name := fmt.Sprintf("hops=%d", n)
			if source == proxy.Forwarded {
				name = "forwarded/" + name
			}
			b.Run(name, func(b *testing.B) {
				r := chain(source, n)
				if got := p.Resolve(r).ClientIP.String(); got != "203.0.113.7" {
					b.Fatalf("ClientIP: got %s, want 203.0.113.7", got)
				}
				b.ReportAllocs()
				for b.Loop() {
					p.Resolve(r)
				}
			})
		}
	}
}

func BenchmarkHandler(b *testing.B) {
	p := mustNew(b, proxy.Config{Trusted: []string{"10.0.0.0/8"}})
	h := p.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r, w := chain(proxy.XForwardedFor, 3), httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}
