package proxy_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/proxy"
)

// fuzzConfigs are the configurations every fuzzed header is resolved under.
var fuzzConfigs = []proxy.Config{
	{Trusted: []string{"10.0.0.0/8", "loopback", "linklocal", "2001:db8::/32"}},
	{Hops: 1}, {Hops: 3}, {Hops: 64},
}

// candidates returns every address written anywhere in s, in any of the forms
// the resolver normalises (mapped, zoned, quoted with escapes): the only
// addresses a resolved ClientIP may be, besides the peer.
func candidates(s string) map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	for _, text := range []string{s, strings.ReplaceAll(s, `\`, "")} {
		for i := range len(text) {
			for j := i + 1; j <= len(text) && j-i <= 45; j++ {
				if a, err := netip.ParseAddr(text[i:j]); err == nil {
					out[a.Unmap().WithZone("")] = true
				}
			}
		}
	}
	return out
}

func fuzzResolve(t *testing.T, source proxy.Source, name, header, side string) {
	const peerAddr = "10.0.0.1"
	for _, c := range fuzzConfigs {
		c.Source = source
		p := mustNew(t, c)
		r := &http.Request{RemoteAddr: peerAddr + ":5000", Host: "backend.internal", Header: http.Header{}}
		for line := range strings.SplitSeq(header, "\n") { // "\n" separates header lines
			r.Header.Add(name, line)
		}
		r.Header.Set("X-Forwarded-Proto", side)
		r.Header.Set("X-Forwarded-Host", side)
		got := p.Resolve(r)
		if again := p.Resolve(r); again != got {
			t.Fatalf("Resolve twice: got %+v then %+v, want the same", got, again)
		}
		if got.ClientIP != netip.MustParseAddr(peerAddr) && !candidates(header)[got.ClientIP] {
			t.Fatalf("ClientIP: got %v, want the peer or an address written in %q", got.ClientIP, header)
		}
		if got.ClientIP.Zone() != "" || got.ClientIP.Is4In6() {
			t.Fatalf("ClientIP: got %v, want it normalised", got.ClientIP)
		}
		if got.Host != "backend.internal" && !strings.Contains(header+side, got.Host) &&
			!strings.Contains(strings.ReplaceAll(header, `\`, ""), got.Host) {
			t.Fatalf("Host: got %q, want r.Host or a value from the headers", got.Host)
		}
		if !got.Forwarded {
			t.Fatalf("Forwarded: got false for a trusted peer with headers, want true")
		}
	}
}

// FuzzXForwardedFor drives the X-Forwarded-For walker: it must never panic,
// never return an address that is neither the peer nor written in the header,
// and always return the same answer for the same request.
func FuzzXForwardedFor(f *testing.F) {
	for _, s := range []string{
		"203.0.113.7", "1.1.1.1, 203.0.113.7, 10.0.0.2", "1.1.1.1\n203.0.113.7", "[2001:db8::1]:443",
		"::ffff:10.0.0.2, fe80::1%eth0", "unknown, _x", ",,,,", "203.0.113.7:99999", " 10.0.0.3 ,\t127.0.0.1",
	} {
		f.Add(s, "https")
	}
	f.Fuzz(func(t *testing.T, header, proto string) {
		fuzzResolve(t, proxy.XForwardedFor, "X-Forwarded-For", header, proto)
	})
}

// FuzzForwarded drives the RFC 7239 parser and walker with the same
// obligations as FuzzXForwardedFor.
func FuzzForwarded(f *testing.F) {
	for _, s := range []string{
		`for=192.0.2.60;proto=http;by=203.0.113.43`, `For="[2001:db8:cafe::17]:4711"`, `for=192.0.2.43, for=198.51.100.17`,
		`for="_gazonk"`, `for=unknown, for=10.0.0.2`, `for="\1\0.0.0.2", for="x\"y"`, `for="unterminated`,
		"for=1.1.1.1\nfor=10.0.0.2;host=\"a.example:8080\"", `;;for=10.0.0.2;;proto=https`,
	} {
		f.Add(s, "http")
	}
	f.Fuzz(func(t *testing.T, header, proto string) {
		fuzzResolve(t, proxy.Forwarded, "Forwarded", header, proto)
	})
}
