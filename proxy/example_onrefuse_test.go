package proxy_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

// OnRefuse hears of every request whose forwarding headers were ignored, not
// only the first of each cause as the log does.
func ExampleConfig_onRefuse() {
	p, err := proxy.New(proxy.Config{
		Trusted: []string{"10.0.0.0/8"},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnRefuse: func(r *http.Request, rule problem.ID) {
			fmt.Println("ignored forwarding headers from", r.RemoteAddr, rule)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, peer := range []string{"192.168.1.5:4000", "198.51.100.7:4000", "10.0.0.1:4000"} {
		r := httptest.NewRequest("GET", "http://api.internal/", nil)
		r.RemoteAddr = peer
		r.Header.Set("X-Forwarded-For", "203.0.113.9")
		fmt.Println(p.Resolve(r).ClientIP)
	}
	// Output:
	// ignored forwarding headers from 192.168.1.5:4000 SES002
	// 192.168.1.5
	// ignored forwarding headers from 198.51.100.7:4000 SES016
	// 198.51.100.7
	// 203.0.113.9
}
