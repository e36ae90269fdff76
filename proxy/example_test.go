package proxy_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/sesame-go/sesame/proxy"
)

// A TLS-terminating load balancer in the 10.0.0.0/8 VPC forwards to the app over
// plain http. The client tried to claim another address; the load balancer
// appended the real one.
func Example_behindLoadBalancer() {
	p, err := proxy.New(proxy.Config{Trusted: []string{"10.0.0.0/8"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	app := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("client:", proxy.ClientIP(r))
		fmt.Println("https:", proxy.IsHTTPS(r))
		fmt.Println("host:", proxy.Host(r))
		fmt.Println("RemoteAddr untouched:", r.RemoteAddr)
	}))

	r := httptest.NewRequest("GET", "http://10.0.3.4:8080/me", nil)
	r.RemoteAddr = "10.0.0.7:41234" // the load balancer
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.50")
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Forwarded-Host", "api.example.com")
	app.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// client: 203.0.113.50
	// https: true
	// host: api.example.com
	// RemoteAddr untouched: 10.0.0.7:41234
}

// Behind a PaaS router whose addresses change, count the proxies instead: with
// Hops: 2 (the router that connects to the app, and a CDN in front of it), the
// client is the second X-Forwarded-For entry from the right.
func ExampleNew_hops() {
	p, err := proxy.New(proxy.Config{Hops: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "172.17.0.9:5000"                                        // the router
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.50, 198.51.100.20") // spoof, client, CDN
	fmt.Println(p.Resolve(r).ClientIP)
	// Output: 203.0.113.50
}

// The wrong way: trusting every address, as Express's `trust proxy = true`
// does, lets every client choose its own address by sending X-Forwarded-For.
// New refuses, and says what to write instead.
func ExampleNew_trustEverything() {
	_, err := proxy.New(proxy.Config{Trusted: []string{"0.0.0.0/0"}})
	fmt.Println(err)
	// Output: SES033: proxy.Config.Trusted entry "0.0.0.0/0": trusts every address, so any client can write its own address into the header and be believed; fix: list the load balancers' ranges (your VPC subnet, the CDN's published ranges), or set proxy.Config.Hops to the number of proxies
}

// RFC 7239 Forwarded, from a proxy that reports the scheme and host too.
func ExampleProxy_Resolve_forwarded() {
	p, _ := proxy.New(proxy.Config{Trusted: []string{"loopback"}, Source: proxy.Forwarded})
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("Forwarded", `for="[2001:db8:cafe::17]:4711";proto=https;host=api.example.com`)
	info := p.Resolve(r)
	fmt.Println(info.ClientIP, info.HTTPS, info.Host, info.Forwarded)
	// Output: 2001:db8:cafe::17 true api.example.com true
}

// Without a trusted peer, forwarding headers change nothing, and the Proxy
// says once, through slog, which Trusted entry would make them count.
func ExampleProxy_Findings() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == slog.MessageKey {
				return slog.Attr{} // keep the example's output short and stable
			}
			return a
		},
	}))
	p, _ := proxy.New(proxy.Config{Logger: logger})
	for range 3 {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:5000"
		r.Header.Set("X-Forwarded-Proto", "https")
		fmt.Println("https:", p.Resolve(r).HTTPS)
	}
	for _, f := range p.Findings() {
		fmt.Println(f.Rule, f.Fix)
	}
	// Output:
	// level=WARN rule=SES002 peer=127.0.0.1 header=X-Forwarded-Proto fix="if 127.0.0.1 is your load balancer or reverse proxy, add \"loopback\" to proxy.Config.Trusted"
	// https: false
	// https: false
	// https: false
	// SES002 if 127.0.0.1 is your load balancer or reverse proxy, add "loopback" to proxy.Config.Trusted
}

// FromContext gives the whole decision to code behind Handler.
func ExampleFromContext() {
	p, _ := proxy.New(proxy.Config{Trusted: []string{"private"}})
	h := p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, ok := proxy.FromContext(r.Context())
		fmt.Println(ok, info.ClientIP, info.Peer, info.Forwarded)
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "[fd00::1]:5000"
	r.Header.Set("X-Forwarded-For", "[2001:db8::9]:61000")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output: true 2001:db8::9 fd00::1 true
}

// ClientIP, IsHTTPS and Host fall back to the connection's own values when the
// stage did not run, so a handler can use them unconditionally.
func ExampleClientIP() {
	r := httptest.NewRequest("GET", "http://api.example.com/", nil)
	r.RemoteAddr = "[::ffff:192.0.2.1]:1234"
	fmt.Println(proxy.ClientIP(r), proxy.IsHTTPS(r), proxy.Host(r))
	// Output: 192.0.2.1 false api.example.com
}

// ExampleIsHTTPS shows the scheme a trusted load balancer reports.
func ExampleIsHTTPS() {
	p, _ := proxy.New(proxy.Config{Trusted: []string{"10.0.0.0/8"}})
	p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(proxy.IsHTTPS(r), r.TLS == nil)
	})).ServeHTTP(httptest.NewRecorder(), func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.7:1"
		r.Header.Set("X-Forwarded-Proto", "https")
		return r
	}())
	// Output: true true
}

// ExampleHost shows the host a trusted load balancer reports.
func ExampleHost() {
	p, _ := proxy.New(proxy.Config{Trusted: []string{"10.0.0.0/8"}})
	p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(proxy.Host(r), r.Host)
	})).ServeHTTP(httptest.NewRecorder(), func() *http.Request {
		r := httptest.NewRequest("GET", "http://10.0.3.4:8080/", nil)
		r.RemoteAddr = "10.0.0.7:1"
		r.Header.Set("X-Forwarded-Host", "api.example.com")
		return r
	}())
	// Output: api.example.com 10.0.3.4:8080
}

// ExampleProxy_Handler wires the stage in front of a mux.
func ExampleProxy_Handler() {
	p, err := proxy.New(proxy.Config{Trusted: []string{"loopback", "10.0.0.0/8"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, proxy.ClientIP(r))
	})
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/whoami", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Add("X-Forwarded-For", "203.0.113.50")
	r.Header.Add("X-Forwarded-For", "10.0.0.7") // a second line from a second proxy
	p.Handler(mux).ServeHTTP(rec, r)
	fmt.Print(rec.Body.String())
	// Output: 203.0.113.50
}
