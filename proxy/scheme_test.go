package proxy_test

import (
	"crypto/tls"
	"testing"

	"github.com/sesame-go/sesame/proxy"
)

// The scheme and host come from the same hop as the client address, and only
// from a trusted peer.
func TestResolveSchemeAndHost(t *testing.T) {
	lb := "10.0.0.1:5000"
	xffCfg := trust("10.0.0.0/8")
	fwdCfg := rfc7239("10.0.0.0/8")
	cases := []struct {
		name      string
		cfg       proxy.Config
		remote    string
		tls       bool
		headers   []h
		wantHTTPS bool
		wantHost  string
		wantFwd   bool
	}{
		{"no headers: the connection", xffCfg, lb, false, nil, false, "backend.internal", false},
		{"no headers over TLS", xffCfg, lb, true, nil, true, "backend.internal", false},
		{"load balancer reports https and host", xffCfg, lb, false,
			[]h{xff("203.0.113.7"), xfp("https"), xfh("api.example.com")}, true, "api.example.com", true},
		{"proto is case-insensitive", xffCfg, lb, false, []h{xff("203.0.113.7"), xfp("HTTPS")}, true, "backend.internal", true},
		{"proto http over a TLS hop to the backend", xffCfg, lb, true, []h{xff("203.0.113.7"), xfp("http")}, false, "backend.internal", true},
		{"proto other than http/https is ignored", xffCfg, lb, false, []h{xff("203.0.113.7"), xfp("ftp")}, false, "backend.internal", true},
		{"proto with junk is ignored", xffCfg, lb, true, []h{xff("203.0.113.7"), xfp("https x")}, true, "backend.internal", true},
		{"proto without X-Forwarded-For is believed", xffCfg, lb, false, []h{xfp("https")}, true, "backend.internal", true},
		{"equal lengths: the client's hop", xffCfg, lb, false,
			[]h{xff("203.0.113.7, 10.0.0.2"), xfp("https, http"), xfh("api.example.com, internal:8080")}, true, "api.example.com", true},
		{"equal lengths across lines", xffCfg, lb, false,
			[]h{xff("203.0.113.7"), xff("10.0.0.2"), xfp("https"), xfp("http")}, true, "backend.internal", true},
		{"unequal lengths: the rightmost", xffCfg, lb, false,
			[]h{xff("203.0.113.7, 10.0.0.2"), xfp("http"), xfh("internal:8080")}, false, "internal:8080", true},
		{"unequal lengths: a spoofed left proto is not used", xffCfg, lb, false,
			[]h{xff("1.1.1.1, 203.0.113.7, 10.0.0.2"), xfp("https, http")}, false, "backend.internal", true},
		{"host with a path is ignored", xffCfg, lb, false, []h{xff("203.0.113.7"), xfh("evil.example/x")}, false, "backend.internal", true},
		{"host with userinfo is ignored", xffCfg, lb, false, []h{xff("203.0.113.7"), xfh("a@evil.example")}, false, "backend.internal", true},
		{"host with a space is ignored", xffCfg, lb, false, []h{xff("203.0.113.7"), xfh("a b")}, false, "backend.internal", true},
		{"host with a bad port is ignored", xffCfg, lb, false, []h{xff("203.0.113.7"), xfh("a.example:x")}, false, "backend.internal", true},
		{"IPv6 host with port", xffCfg, lb, false, []h{xff("203.0.113.7"), xfh("[2001:db8::1]:8443")}, false, "[2001:db8::1]:8443", true},
		{"untrusted peer: proto and host ignored", xffCfg, "203.0.113.50:1", false,
			[]h{xff("203.0.113.7"), xfp("https"), xfh("api.example.com")}, false, "backend.internal", false},
		{"nothing trusted: ignored", trust(), lb, true, []h{xfp("http")}, true, "backend.internal", false},

		{"Forwarded proto and host", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;proto=https;host=api.example.com`)}, true, "api.example.com", true},
		{"Forwarded: the client's element, not the nearest", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;proto=https;host="api.example.com:8443", for=10.0.0.2;proto=http;host=internal`)}, true, "api.example.com:8443", true},
		{"Forwarded: unknown client, the rightmost element still tells the scheme", fwdCfg, lb, false,
			[]h{fwd(`for=unknown;proto=https;host=api.example.com`)}, true, "api.example.com", true},
		{"Forwarded: element without proto keeps the connection's", fwdCfg, lb, true,
			[]h{fwd(`for=203.0.113.7`)}, true, "backend.internal", true},
		{"Forwarded: proto other than http/https ignored", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;proto=wss`)}, false, "backend.internal", true},
		{"Forwarded: escaped proto", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;proto="http\s"`)}, true, "backend.internal", true},
		{"Forwarded: invalid host ignored", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;host="a/b"`)}, false, "backend.internal", true},
		{"Forwarded: malformed rightmost element, nothing believed", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7;proto=https;proto=https`)}, false, "backend.internal", true},
		{"Forwarded: X-Forwarded-Proto not read", fwdCfg, lb, false,
			[]h{fwd(`for=203.0.113.7`), xfp("https")}, false, "backend.internal", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, tc.cfg)
			r := request(tc.remote, tc.headers...)
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			got := p.Resolve(r)
			if got.HTTPS != tc.wantHTTPS {
				t.Errorf("HTTPS: got %v, want %v", got.HTTPS, tc.wantHTTPS)
			}
			if got.Host != tc.wantHost {
				t.Errorf("Host: got %q, want %q", got.Host, tc.wantHost)
			}
			if got.Forwarded != tc.wantFwd {
				t.Errorf("Forwarded: got %v, want %v", got.Forwarded, tc.wantFwd)
			}
		})
	}
}
