package proxy_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// TestOnRefuse checks that OnRefuse hears of every request whose forwarding
// headers were ignored, each time (the log hears of a cause once), with SES002
// for a private peer and SES016 for a public one, and of nothing else.
func TestOnRefuse(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		want []problem.ID // for the same request served twice
	}{
		{"private peer not trusted", request("192.168.1.5:4000", xff("203.0.113.9")),
			[]problem.ID{problem.ProxyNotTrusted, problem.ProxyNotTrusted}},
		{"loopback peer not trusted", request("127.0.0.1:4000", xfp("https")),
			[]problem.ID{problem.ProxyNotTrusted, problem.ProxyNotTrusted}},
		{"public peer", request("198.51.100.7:4000", xff("10.0.0.1")),
			[]problem.ID{problem.SpoofableClientIP, problem.SpoofableClientIP}},
		{"untrusted peer without forwarding headers", request("198.51.100.7:4000"), nil},
		{"trusted peer", request("10.0.0.1:4000", xff("203.0.113.9")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []problem.ID
			p := mustNew(t, proxy.Config{Trusted: []string{"10.0.0.0/8"},
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				OnRefuse: func(r *http.Request, rule problem.ID) {
					if r != tt.r {
						t.Errorf("OnRefuse got another request than the one resolved")
					}
					got = append(got, rule)
				}})
			p.Resolve(tt.r)
			p.Resolve(tt.r)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got refusals %v, want %v", got, tt.want)
			}
			if len(tt.want) > 0 && len(p.Findings()) != 1 {
				t.Errorf("got %d findings, want 1 (OnRefuse must not stop the once-per-cause record)", len(p.Findings()))
			}
		})
	}
}

// TestOnRefuseOverSocket sends a forged X-Forwarded-For over a real loopback
// connection, which no Trusted entry covers.
func TestOnRefuseOverSocket(t *testing.T) {
	var mu sync.Mutex
	var got []problem.ID
	p := mustNew(t, proxy.Config{Trusted: []string{"10.0.0.0/8"},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnRefuse: func(_ *http.Request, rule problem.ID) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, rule)
		}})
	srv := httptest.NewServer(p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip := proxy.ClientIP(r); !ip.IsLoopback() {
			t.Errorf("got client IP %v, want the loopback peer", ip)
		}
	})))
	defer srv.Close()
	for range 2 {
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []problem.ID{problem.ProxyNotTrusted, problem.ProxyNotTrusted}; !slices.Equal(got, want) {
		t.Errorf("got refusals %v, want %v", got, want)
	}
}
