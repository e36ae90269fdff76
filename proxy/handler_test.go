package proxy_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/proxy"
)

func TestHandlerStoresInfoAndLeavesRequestAlone(t *testing.T) {
	p := mustNew(t, trust("10.0.0.0/8"))
	r := request("10.0.0.1:5000", xff("1.1.1.1, 203.0.113.7"), xfp("https"), xfh("api.example.com"))
	before := r.Clone(context.Background())
	var seen *http.Request
	p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
	})).ServeHTTP(httptest.NewRecorder(), r)

	if seen == nil {
		t.Fatal("handler: got no call, want one")
	}
	info, ok := proxy.FromContext(seen.Context())
	want := proxy.Info{ClientIP: addr("203.0.113.7"), Peer: addr("10.0.0.1"), HTTPS: true, Host: "api.example.com", Forwarded: true}
	if !ok || info != want {
		t.Errorf("FromContext: got %+v, %v, want %+v, true", info, ok, want)
	}
	if got := proxy.ClientIP(seen); got != want.ClientIP {
		t.Errorf("ClientIP: got %v, want %v", got, want.ClientIP)
	}
	if got := proxy.IsHTTPS(seen); !got {
		t.Errorf("IsHTTPS: got %v, want true", got)
	}
	if got := proxy.Host(seen); got != "api.example.com" {
		t.Errorf("Host: got %q, want %q", got, "api.example.com")
	}
	// The request, the one passed on and the original, says what happened on the wire.
	for _, got := range []*http.Request{r, seen} {
		if got.RemoteAddr != before.RemoteAddr || got.Host != before.Host || got.TLS != nil ||
			!reflect.DeepEqual(got.Header, before.Header) || got.URL.String() != before.URL.String() {
			t.Errorf("request: got RemoteAddr %q Host %q TLS %v Header %v URL %v, want them unchanged",
				got.RemoteAddr, got.Host, got.TLS, got.Header, got.URL)
		}
	}
	if _, ok := proxy.FromContext(r.Context()); ok {
		t.Errorf("original request context: got an Info, want none")
	}
}

func TestAccessorsWithoutTheStage(t *testing.T) {
	r := request("[::ffff:192.0.2.9]:1234", xff("203.0.113.7"), xfp("https"), xfh("evil.example"))
	if _, ok := proxy.FromContext(r.Context()); ok {
		t.Errorf("FromContext: got ok, want no Info")
	}
	if got, want := proxy.ClientIP(r), addr("192.0.2.9"); got != want {
		t.Errorf("ClientIP: got %v, want %v", got, want)
	}
	if proxy.IsHTTPS(r) {
		t.Errorf("IsHTTPS: got true, want false")
	}
	r.TLS = &tls.ConnectionState{}
	if !proxy.IsHTTPS(r) {
		t.Errorf("IsHTTPS over TLS: got false, want true")
	}
	if got := proxy.Host(r); got != "backend.internal" {
		t.Errorf("Host: got %q, want %q", got, "backend.internal")
	}
	if got := proxy.ClientIP(request("@")); got.IsValid() {
		t.Errorf("ClientIP of a Unix socket peer: got %v, want the zero Addr", got)
	}
}

func TestZeroAndNilProxyTrustNothing(t *testing.T) {
	r := request("10.0.0.1:1", xff("203.0.113.7"), xfp("https"))
	want := proxy.Info{ClientIP: addr("10.0.0.1"), Peer: addr("10.0.0.1"), Host: "backend.internal"}
	var nilProxy *proxy.Proxy
	zero := &proxy.Proxy{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler)) // the zero Proxy logs to the default logger
	t.Cleanup(func() { slog.SetDefault(old) })
	for name, p := range map[string]*proxy.Proxy{"nil": nilProxy, "zero": zero} {
		if got := p.Resolve(r); got != want {
			t.Errorf("%s Proxy: got %+v, want %+v", name, got, want)
		}
	}
	if got := nilProxy.Findings(); got != nil {
		t.Errorf("nil Proxy Findings: got %v, want nil", got)
	}
}

// recorder is a slog.Handler that keeps every record's attributes.
type recorder struct {
	mu      sync.Mutex
	records []map[string]string
}

func (*recorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	m := map[string]string{"level": r.Level.String(), "msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	h.mu.Lock()
	h.records = append(h.records, m)
	h.mu.Unlock()
	return nil
}
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recorder) WithGroup(string) slog.Handler      { return h }

func (h *recorder) byRule() map[string][]map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string][]map[string]string{}
	for _, r := range h.records {
		out[r["rule"]] = append(out[r["rule"]], r)
	}
	return out
}

func TestDiagnosticsOncePerCause(t *testing.T) {
	rec := &recorder{}
	p := mustNew(t, proxy.Config{Trusted: []string{"10.0.0.0/8"}, Logger: slog.New(rec)})
	requests := []*http.Request{
		request("192.168.1.20:1", xff("203.0.113.7")),         // SES002: forgot the proxy
		request("192.168.1.21:1", fwd("for=203.0.113.7")),     // same cause
		request("127.0.0.1:1", xfp("https")),                  // same cause
		request("203.0.113.99:1", xff("10.0.0.1")),            // SES016: public peer
		request("198.51.100.1:1", xfh("admin.example")),       // same cause
		request("192.168.1.22:1"),                             // no header: nothing to say
		request("10.0.0.1:1", xff("203.0.113.7")),             // trusted: nothing to say
		request("203.0.113.100:1", h{"X-Real-Ip", "1.1.1.1"}), // not a header we read
	}
	var wg sync.WaitGroup
	for range 50 {
		for _, r := range requests {
			wg.Go(func() { p.Resolve(r) })
		}
	}
	wg.Wait()

	got := rec.byRule()
	if len(got) != 2 || len(got["SES002"]) != 1 || len(got["SES016"]) != 1 {
		t.Fatalf("records by rule: got %v, want one SES002 and one SES016", got)
	}
	private := got["SES002"][0]
	if private["level"] != "WARN" || private["header"] == "" || private["peer"] == "" || private["fix"] == "" {
		t.Errorf("SES002 record: got %v, want level WARN and peer, header, fix", private)
	}
	if peer := private["peer"]; peer == "127.0.0.1" && !strings.Contains(private["fix"], `"loopback"`) ||
		peer != "127.0.0.1" && !strings.Contains(private["fix"], `"`+peer+`"`) {
		t.Errorf("SES002 fix: got %q, want it to name the Trusted value for %s", private["fix"], peer)
	}
	if public := got["SES016"][0]; public["level"] != "INFO" || !strings.Contains(public["msg"], "ignored") {
		t.Errorf("SES016 record: got %v, want level INFO saying the header was ignored", public)
	}
	findings := p.Findings()
	if len(findings) != 2 || findings[0].Rule != problem.ProxyNotTrusted || findings[1].Rule != problem.SpoofableClientIP {
		t.Errorf("Findings: got %v, want SES002 then SES016", findings)
	}
}

func TestDiagnosticsFixNamesTheEntry(t *testing.T) {
	cases := []struct{ peer, header, want string }{
		{"127.0.0.1:1", "X-Forwarded-For", `add "loopback"`},
		{"[::1]:1", "X-Forwarded-Proto", `add "loopback"`},
		{"10.1.2.3:1", "X-Forwarded-For", `add "10.1.2.3"`},
		{"[fd00::5]:1", "X-Forwarded-Host", `add "fd00::5"`},
		{"169.254.1.1:1", "X-Forwarded-For", `add "linklocal"`},
		{"100.64.1.1:1", "X-Forwarded-For", `add "100.64.1.1"`},
		{"@", "Forwarded", "proxy.Config.Hops to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.peer, func(t *testing.T) {
			rec := &recorder{}
			p := mustNew(t, proxy.Config{Logger: slog.New(rec)})
			p.Resolve(request(tc.peer, h{tc.header, "https"}))
			got := rec.byRule()["SES002"]
			if len(got) != 1 || got[0]["header"] != tc.header || !strings.Contains(got[0]["fix"], tc.want) {
				t.Errorf("SES002 records: got %v, want one for header %s with a fix containing %q", got, tc.header, tc.want)
			}
		})
	}
}

// A real chain: a TLS-terminating reverse proxy (net/http/httputil, which
// appends X-Forwarded-For and sets X-Forwarded-Proto and -Host) on loopback in
// front of the app, each a real TCP server.
func TestBehindRealTLSTerminatingProxy(t *testing.T) {
	p := mustNew(t, trust("loopback"))
	type seen struct {
		info   proxy.Info
		remote string
	}
	got := make(chan seen, 1)
	app := httptest.NewServer(p.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := proxy.FromContext(r.Context())
		got <- seen{info, r.RemoteAddr}
	})))
	defer app.Close()
	target, err := url.Parse(app.URL)
	if err != nil {
		t.Fatal(err)
	}
	lb := httptest.NewTLSServer(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"] // keep the client's, as proxies do
		pr.SetXForwarded()
	}})
	defer lb.Close()

	req, err := http.NewRequest(http.MethodGet, lb.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", "203.0.113.66") // a spoof from the client
	resp, err := lb.Client().Do(req)
	if err != nil {
		t.Fatalf("request through the proxy: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	s := <-got
	lbHost := lb.Listener.Addr().String()
	want := proxy.Info{
		// The client is on loopback too, so it is trusted and the walk reaches
		// the address it wrote itself: trusting "loopback" means trusting
		// every local process.
		ClientIP:  addr("203.0.113.66"),
		Peer:      netip.MustParseAddrPort(s.remote).Addr(),
		HTTPS:     true,
		Host:      lbHost,
		Forwarded: true,
	}
	if s.info != want {
		t.Errorf("Info: got %+v, want %+v", s.info, want)
	}

}

func TestPeerNormalised(t *testing.T) {
	p := mustNew(t, trust("10.0.0.0/8"))
	cases := []struct{ remote, want string }{
		{"192.0.2.1:80", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[fe80::1%eth0]:80", "fe80::1"},
		{"[2001:DB8::1]:443", "2001:db8::1"},
		{"192.0.2.1", "192.0.2.1"},
		{"2001:db8::1", "2001:db8::1"},
		{"@", ""},
		{"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.remote, func(t *testing.T) {
			got := p.Resolve(request(tc.remote))
			if want := addr(tc.want); got.Peer != want || got.ClientIP != want {
				t.Errorf("Peer, ClientIP: got %v, %v, want %v", got.Peer, got.ClientIP, want)
			}
		})
	}
}

// Hops trusts the peer whatever its address, even without one: the way to
// believe a local proxy that forwards over a Unix socket.
func TestHopsOverUnixSocket(t *testing.T) {
	p := mustNew(t, hops(1))
	got := p.Resolve(request("@", xff("203.0.113.7"), xfp("https")))
	if got.ClientIP != addr("203.0.113.7") || !got.HTTPS || got.Peer.IsValid() {
		t.Errorf("Info: got %+v, want client 203.0.113.7 over https from a peer without address", got)
	}
}
