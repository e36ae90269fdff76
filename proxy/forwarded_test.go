package proxy_test

import (
	"strings"
	"testing"
)

// RFC 7239 Forwarded. The first cases are the examples of RFC 7239 §4 and §7.
func TestResolveForwarded(t *testing.T) {
	c := rfc7239("10.0.0.0/8")
	lb := "10.0.0.1:5000"
	run := func(name, header, want string) clientCase {
		return clientCase{name, c, lb, []h{fwd(header)}, want}
	}
	runClientCases(t, []clientCase{
		run("§4 quoted IPv6 with port", `For="[2001:db8:cafe::17]:4711"`, "2001:db8:cafe::17"),
		run("§4 with proto and by", `for=192.0.2.60;proto=http;by=203.0.113.43`, "192.0.2.60"),
		run("§4 two elements, last untrusted wins", `for=192.0.2.43, for=198.51.100.17`, "198.51.100.17"),
		{"§4 two elements, second trusted", rfc7239("10.0.0.0/8", "198.51.100.0/24"), lb, []h{fwd(`for=192.0.2.43, for=198.51.100.17`)}, "192.0.2.43"},
		run("§4 obfuscated: fail closed", `for="_gazonk"`, "10.0.0.1"),
		run("§6.2 unknown: fail closed", `for=unknown`, "10.0.0.1"),
		run("unknown on the right, client on the left", `for=203.0.113.7, for=unknown`, "10.0.0.1"),
		run("never jump past unknown", `for=203.0.113.7, for=unknown, for=10.0.0.2`, "10.0.0.2"),
		run("never jump past obfuscated", `for=203.0.113.7, for=_x:_y, for=10.0.0.2`, "10.0.0.2"),
		run("never jump past a malformed element", `for=203.0.113.7, for=, for=10.0.0.2`, "10.0.0.2"),
		run("element without for=", `proto=https`, "10.0.0.1"),
		run("parameter names are case-insensitive", `FOR=203.0.113.7;PROTO=https`, "203.0.113.7"),
		run("quoted IPv4", `for="203.0.113.7"`, "203.0.113.7"),
		run("quoted IPv4 with port", `for="203.0.113.7:8080"`, "203.0.113.7"),
		run("obfuscated port", `for="203.0.113.7:_p1"`, "203.0.113.7"),
		run("escaped characters in a quoted value", `for="\2\0\3.0.113.7"`, "203.0.113.7"),
		run("unquoted IPv6 (lenient)", `for=2001:db8::7`, "2001:db8::7"),
		run("unquoted bracketed IPv6 (lenient)", `for=[2001:db8::7]:443`, "2001:db8::7"),
		run("IPv4-mapped", `for="[::ffff:203.0.113.7]"`, "203.0.113.7"),
		run("zone dropped", `for="[fe80::1%25eth0]", for="[fe80::2%eth0]"`, "fe80::2"),
		run("spaces around elements and pairs", ` for=198.51.100.1 , for=203.0.113.7 ; proto=https `, "203.0.113.7"),
		run("duplicate for= in one element", `for=203.0.113.7;for=198.51.100.1`, "10.0.0.1"),
		run("a comma inside quotes does not split", `for="203.0.113.7,198.51.100.1"`, "10.0.0.1"),
		run("unterminated quoted string", `for="203.0.113.7`, "10.0.0.1"),
		run("client junk with quotes on the left is never parsed", `for="x\", for=1.1.1.1;proto="unclosed, for=203.0.113.7`, "203.0.113.7"),
		run("escaped quote inside a quoted value", `for="_a\"b", for=203.0.113.7`, "203.0.113.7"),
		run("pair without =", `for`, "10.0.0.1"),
		run("empty name", `=203.0.113.7`, "10.0.0.1"),
		run("space before =", `for =203.0.113.7`, "10.0.0.1"),
		run("text after a quoted value", `for="203.0.113.7"x`, "10.0.0.1"),
		run("control character in a quoted value", "for=\"203.0.113.7\x01\"", "10.0.0.1"),
		run("bare IPv4 in brackets", `for="[203.0.113.7]"`, "10.0.0.1"),
		run("unknown extension parameter is ignored", `for=203.0.113.7;secret=abc`, "203.0.113.7"),
		run("empty pairs are allowed", `;for=203.0.113.7;;`, "203.0.113.7"),
		run("comma flood left of the client", strings.Repeat(",", 100_000)+"for=203.0.113.7", "203.0.113.7"),
		run("comma flood on the right", "for=203.0.113.7"+strings.Repeat(",", 1000), "10.0.0.1"),
		run("100KB quoted junk left of the client", `for="`+strings.Repeat("x", 100_000)+`", for=203.0.113.7`, "203.0.113.7"),
		run("100KB single element", "for="+strings.Repeat("1", 100_000), "10.0.0.1"),
		run("more trusted elements than the walk limit", "for=203.0.113.7, "+strings.Repeat("for=10.0.0.2, ", 100)+"for=10.0.0.3", "10.0.0.2"),
		{"X-Forwarded-For is not read with Source Forwarded", c, lb, []h{xff("203.0.113.7")}, "10.0.0.1"},
		{"Forwarded is not read with Source XForwardedFor", trust("10.0.0.0/8"), lb, []h{fwd("for=203.0.113.7")}, "10.0.0.1"},
		{"lines joined in order", c, lb, []h{fwd("for=203.0.113.7"), fwd("for=10.0.0.2")}, "203.0.113.7"},
		{"hops", proxyHopsForwarded(2), lb, []h{fwd("for=1.1.1.1, for=203.0.113.7, for=198.51.100.20")}, "203.0.113.7"},
		{"untrusted peer: ignored", c, "203.0.113.50:1", []h{fwd("for=10.0.0.1")}, "203.0.113.50"},
	})
}
