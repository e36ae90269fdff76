package proxy_test

import (
	"strings"
	"testing"
)

// Cases written from the documented behaviour of Express's `trust proxy`
// setting and the proxy-addr module behind it (README "proxyaddr(req, trust)":
// the closest untrusted address is returned; trust by address, CIDR,
// IP/netmask, named ranges or hop count; IPv4-mapped IPv6 matches IPv4).
func TestResolveExpressProxyAddr(t *testing.T) {
	const peer = "127.0.0.1:40000"
	list := xff("10.0.0.1, 10.0.0.2, 192.168.0.1")
	runClientCases(t, []clientCase{
		{"trust nothing: the socket address", trust(), peer, []h{xff("10.0.0.1, 10.0.0.2")}, "127.0.0.1"},
		{"no header: the socket address", trust("loopback"), peer, nil, "127.0.0.1"},
		{"trust one address: stops at the first untrusted", trust("127.0.0.1"), peer, []h{xff("10.0.0.1, 10.0.0.2")}, "10.0.0.2"},
		{"trust several: first untrusted after the trusted", trust("127.0.0.1", "10.0.0.2"), peer, []h{xff("10.0.0.1, 10.0.0.2")}, "10.0.0.1"},
		{"does not skip an untrusted address to reach a trusted one", trust("127.0.0.1", "10.0.0.1"), peer, []h{list}, "192.168.0.1"},
		{"trust loopback", trust("loopback"), peer, []h{xff("203.0.113.1, 127.0.0.2")}, "203.0.113.1"},
		{"trust loopback, IPv6 peer", trust("loopback"), "[::1]:40000", []h{xff("203.0.113.1")}, "203.0.113.1"},
		{"trust 10.0.0.0/8", trust("10.0.0.0/8"), "10.0.0.1:1", []h{xff("192.168.0.1, 10.0.0.200")}, "192.168.0.1"},
		{"trust IP/netmask", trust("127.0.0.0/255.0.0.0", "10.0.0.0/255.0.0.0"), peer, []h{list}, "192.168.0.1"},
		{"trust uniquelocal as Express means it", trust("loopback", "uniquelocal"), peer, []h{xff("203.0.113.9, 192.168.0.1, 10.0.0.2")}, "203.0.113.9"},
		{"every address trusted: the furthest one", trust("127.0.0.1", "10.0.0.0/8"), peer, []h{xff("10.0.0.1, 10.0.0.2")}, "10.0.0.1"},
		{"IPv4-mapped socket address matches IPv4 entry", trust("127.0.0.1"), "[::ffff:127.0.0.1]:40000", []h{xff("10.0.0.1")}, "10.0.0.1"},
		{"IPv4-mapped entry matches IPv4 socket", trust("::ffff:a00:1"), "10.0.0.1:1", []h{xff("203.0.113.1")}, "203.0.113.1"},
		{"IPv6 normalised: fe80::00ed:1 is fe80:0:0:0:0:0:ed:1", trust("fe80::00ed:1"), "[fe80:0:0:0:0:0:ed:1]:1", []h{xff("2001:db8::1")}, "2001:db8::1"},
		{"IPv6 ranges", trust("::1/128", "fe80::/10"), "[::1]:1", []h{xff("2001:db8::1, fe80::1")}, "2001:db8::1"},
		{"comma-separated trust string", trust("loopback, 10.0.0.0/8"), peer, []h{list}, "192.168.0.1"},
		{"multiple header lines are one list, in order", trust("127.0.0.1"), peer, []h{xff("10.0.0.1"), xff("10.0.0.2")}, "10.0.0.2"},
		{"multiple header lines walked across", trust("127.0.0.1", "10.0.0.2"), peer, []h{xff("10.0.0.1"), xff("10.0.0.2")}, "10.0.0.1"},
		// trust proxy = N: hop 1 is the socket, the client is the Nth entry from the right.
		{"hops 1", hops(1), peer, []h{list}, "192.168.0.1"},
		{"hops 2", hops(2), peer, []h{list}, "10.0.0.2"},
		{"hops 3", hops(3), peer, []h{list}, "10.0.0.1"},
		{"hops beyond the entries: the leftmost", hops(4), peer, []h{list}, "10.0.0.1"},
		{"hops with no header: the socket", hops(2), peer, nil, "127.0.0.1"},
		{"hops across header lines", hops(2), peer, []h{xff("10.0.0.1, 10.0.0.2"), xff("192.168.0.1")}, "10.0.0.2"},
		{"hops trusts the socket whatever its address", hops(1), "198.51.100.1:1", []h{xff("203.0.113.1")}, "203.0.113.1"},
	})
}

// Cases written from Adam Pritchard's "The perils of the 'real' client IP"
// (2022): the leftmost X-Forwarded-For entry is whatever the client wrote; the
// safe choice is the rightmost entry not written by one of your own proxies,
// found by trusted ranges or by a fixed count; all header lines must be
// considered; entries may carry ports and be IPv6.
func TestResolvePerilsOfTheRealClientIP(t *testing.T) {
	lb := "10.0.0.1:5000"
	runClientCases(t, []clientCase{
		{"spoofed leftmost is ignored", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1, 203.0.113.7")}, "203.0.113.7"},
		{"spoofed internal-looking leftmost", trust("10.0.0.0/8"), lb, []h{xff("10.0.0.99, 203.0.113.7")}, "203.0.113.7"},
		{"client pretends to be a proxy chain", trust("10.0.0.0/8"), lb, []h{xff("203.0.113.7, 10.0.0.5, 198.51.100.9")}, "198.51.100.9"},
		{"rightmost-trusted: CDN then load balancer", trust("10.0.0.0/8", "198.51.100.0/24"), lb, []h{xff("1.1.1.1, 203.0.113.7, 198.51.100.20")}, "203.0.113.7"},
		{"appended by multiple proxies, count known", hops(2), lb, []h{xff("1.1.1.1, 203.0.113.7, 198.51.100.20")}, "203.0.113.7"},
		{"proxy adds a second header line after the client's", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1"), xff("203.0.113.7")}, "203.0.113.7"},
		{"client sends two lines, proxy appends to the last", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1"), xff("2.2.2.2, 203.0.113.7")}, "203.0.113.7"},
		{"only the first line read would be spoofable", hops(1), lb, []h{xff("1.1.1.1"), xff("203.0.113.7")}, "203.0.113.7"},
		{"entry with a port (Azure)", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1, 203.0.113.7:51234")}, "203.0.113.7"},
		{"IPv6 entry", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1, 2001:db8::7")}, "2001:db8::7"},
		{"bracketed IPv6 with port", trust("10.0.0.0/8"), lb, []h{xff("1.1.1.1, [2001:db8::7]:443")}, "2001:db8::7"},
		{"IPv6 load balancer", trust("fd00::/8"), "[fd00::1]:5000", []h{xff("1.1.1.1, 2001:db8::7")}, "2001:db8::7"},
		{"untrusted peer: headers ignored", trust("10.0.0.0/8"), "203.0.113.50:1", []h{xff("10.0.0.1")}, "203.0.113.50"},
		{"untrusted private peer: headers ignored", trust("10.0.0.0/8"), "192.168.1.1:1", []h{xff("203.0.113.7")}, "192.168.1.1"},
		{"no proxies configured: the peer", trust(), lb, []h{xff("203.0.113.7")}, "10.0.0.1"},
		{"request from inside: all trusted, the furthest", trust("10.0.0.0/8"), lb, []h{xff("10.9.9.9")}, "10.9.9.9"},
	})
}

// Hostile input: none of it may move the client to an address a client chose,
// past the walk limits or past something unreadable. Trusted 10.0.0.0/8 and
// "linklocal", the peer 10.0.0.1.
func TestResolveHostileXForwardedFor(t *testing.T) {
	c := trust("10.0.0.0/8", "linklocal")
	lb := "10.0.0.1:5000"
	run := func(name, header, want string) clientCase {
		return clientCase{name, c, lb, []h{xff(header)}, want}
	}
	runClientCases(t, []clientCase{
		run("comma flood left of the client is never reached", strings.Repeat(",", 100_000)+"203.0.113.7", "203.0.113.7"),
		run("comma flood on the right fails closed", "203.0.113.7"+strings.Repeat(",", 1000), "10.0.0.1"),
		run("100KB of garbage left of the client", strings.Repeat("x", 100_000)+", 203.0.113.7", "203.0.113.7"),
		run("100KB single entry fails closed", strings.Repeat("1", 100_000), "10.0.0.1"),
		run("more trusted entries than the walk limit", "203.0.113.7, "+strings.Repeat("10.0.0.2, ", 100)+"10.0.0.3", "10.0.0.2"),
		run("exactly at the walk limit", "203.0.113.7, "+strings.Repeat("10.0.0.2, ", 62)+"10.0.0.3", "203.0.113.7"),
		run("an entry reaching beyond the byte budget is not read", "203.0.113.7,"+strings.Repeat(" ", 20_000)+"10.0.0.2, 10.0.0.3", "10.0.0.3"),
		run("garbage", "not-an-ip", "10.0.0.1"),
		run("garbage on the right", "203.0.113.7, garbage", "10.0.0.1"),
		run("never jump past garbage", "203.0.113.7, garbage, 10.0.0.2", "10.0.0.2"),
		run("empty entry", "203.0.113.7, , 10.0.0.2", "10.0.0.2"),
		run("unknown", "unknown", "10.0.0.1"),
		run("obfuscated", "_hidden", "10.0.0.1"),
		run("whitespace around entries", " \t203.0.113.7 \t", "203.0.113.7"),
		run("IPv4-mapped", "::ffff:203.0.113.7", "203.0.113.7"),
		run("IPv4-mapped hex", "::FFFF:cb00:7107", "203.0.113.7"),
		run("IPv4-mapped bracketed with port", "[::ffff:203.0.113.7]:80", "203.0.113.7"),
		run("mapped form of a trusted proxy is still trusted", "203.0.113.7, ::ffff:10.0.0.9", "203.0.113.7"),
		run("upper-case IPv6", "2001:DB8::7", "2001:db8::7"),
		run("uncompressed IPv6", "2001:db8:0:0:0:0:0:7", "2001:db8::7"),
		run("zone dropped", "203.0.113.7, fe80::1%eth0", "203.0.113.7"),
		run("zone dropped from the client", "fe80::1%eth0", "fe80::1"),
		run("empty zone", "fe80::1%", "10.0.0.1"),
		run("zone on IPv4", "203.0.113.7%eth0", "10.0.0.1"),
		run("IPv4 in brackets", "[203.0.113.7]", "10.0.0.1"),
		run("unclosed bracket", "[2001:db8::7", "10.0.0.1"),
		run("port out of range", "203.0.113.7:99999", "10.0.0.1"),
		run("empty port", "203.0.113.7:", "10.0.0.1"),
		run("leading zero octet", "203.0.113.07", "10.0.0.1"),
		run("IPv6 with a port, unbracketed, is not an address", "2001:db8::7:443x", "10.0.0.1"),
		run("CIDR is not an address", "203.0.113.0/24", "10.0.0.1"),
		run("NUL byte", "203.0.113.7\x00", "10.0.0.1"),
	})

	t.Run("many empty header lines", func(t *testing.T) {
		p := mustNew(t, c)
		r := request(lb, xff("203.0.113.7"))
		for range 1000 {
			r.Header.Add("X-Forwarded-For", "")
		}
		if got, want := p.Resolve(r).ClientIP, addr("10.0.0.1"); got != want {
			t.Errorf("ClientIP: got %v, want %v (too many lines: fail closed)", got, want)
		}
	})
}
