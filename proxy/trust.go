package proxy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// namedRanges are the names Express's proxy-addr understands, with the same
// meaning, plus "private". Link-local and loopback come from RFC 3927, RFC 4291
// and RFC 1122; private from RFC 1918 and RFC 4193 (unique local addresses).
var namedRanges = map[string][]netip.Prefix{
	"loopback": {
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("::1/128"),
	},
	"linklocal": {
		netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("fe80::/10"),
	},
	"private":     privateRanges,
	"uniquelocal": privateRanges,
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
}

// parseTrusted turns one Config.Trusted item into prefixes, or says what is wrong
// with it and what to write instead.
func parseTrusted(s string, fields problem.Fields) ([]netip.Prefix, error) {
	if r, ok := namedRanges[strings.ToLower(s)]; ok {
		return r, nil
	}
	bad := func(detail, fix string) error {
		return problem.NewError(problem.InvalidProxyConfig,
			fmt.Sprintf("%s entry %q: %s", fields.Name("proxy.Config.Trusted"), s, detail), fix)
	}
	if strings.ContainsRune(s, '%') {
		return nil, bad("has an IPv6 zone", "drop the zone (\"%eth0\"): trust is decided on the address alone")
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		// Express's `trust proxy = 1` is the most common line people bring.
		return nil, bad(fmt.Sprintf("is a hop count (Express's `trust proxy %d`), and this list holds only addresses, CIDRs and named ranges", n),
			fmt.Sprintf("set %s to %d and remove this entry. The two differ: a hop count trusts the %d nearest hop(s) whoever they are, so it is right only when every request passes through exactly that many proxies (a client reaching the server directly could then claim any address); an address or CIDR here trusts only the peers it names, whatever the path. List your proxies' addresses here when you know them (e.g. \"loopback\", \"10.0.0.0/8\")", fields.Name("proxy.Config.Hops"), n, n))
	}
	addrPart, bitsPart, isPrefix := strings.Cut(s, "/")
	addr, err := netip.ParseAddr(addrPart)
	if err != nil {
		return nil, bad("is not an IP address, CIDR or named range",
			`write a CIDR ("10.0.0.0/8", "2001:db8::/32"), an address ("10.1.2.3") or one of "loopback", "linklocal", "private", "uniquelocal"`)
	}
	bits := addr.BitLen()
	if isPrefix {
		if mask, err := netip.ParseAddr(bitsPart); err == nil && mask.Is4() && addr.Is4() {
			var ok bool
			if bits, ok = maskBits(mask); !ok {
				return nil, bad("has a netmask that is not contiguous", `write the range as a CIDR ("10.0.0.0/8")`)
			}
		} else if bits, err = parseBits(bitsPart, addr.BitLen()); err != nil {
			return nil, bad(err.Error(), `write the range as a CIDR ("10.0.0.0/8", "2001:db8::/32")`)
		}
	}
	// An IPv4-mapped entry (::ffff:10.0.0.0/104) describes IPv4 addresses, and the
	// walk compares unmapped addresses, so store it as IPv4.
	if addr.Is4In6() && bits >= 96 {
		addr, bits = addr.Unmap(), bits-96
	}
	prefix := netip.PrefixFrom(addr, bits)
	if masked := prefix.Masked(); masked.Addr() != addr {
		return nil, bad("has host bits set, so it is unclear whether it means one address or a range",
			fmt.Sprintf("write %q for the range or %q for the one address", masked, addr))
	}
	if bits == 0 {
		return nil, bad("trusts every address, so any client can write its own address into the header and be believed",
			"list the load balancers' ranges (your VPC subnet, the CDN's published ranges), or set "+fields.Name("proxy.Config.Hops")+" to the number of proxies")
	}
	return []netip.Prefix{prefix}, nil
}

func parseBits(s string, max int) (int, error) {
	if s == "" || len(s) > 3 {
		return 0, fmt.Errorf("has no valid prefix length after '/'")
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("has no valid prefix length after '/'")
		}
		n = n*10 + int(s[i]-'0')
	}
	if n > max {
		return 0, fmt.Errorf("has prefix length %d, more than the %d bits of the address", n, max)
	}
	return n, nil
}

// maskBits converts an IPv4 netmask (255.255.0.0) to a prefix length.
func maskBits(mask netip.Addr) (int, bool) {
	b := mask.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for v&(1<<31) != 0 {
		n++
		v <<= 1
	}
	return n, v == 0
}

// trusts reports whether the address at the given hop is one of our proxies. The
// TCP peer is hop 0, the rightmost forwarded entry hop 1, and so on: with Hops
// set, exactly the first Hops hops are trusted (Express's `trust proxy = N`).
func (p *Proxy) trusts(a netip.Addr, hop int) bool {
	if p.hops > 0 {
		return hop < p.hops
	}
	if !a.IsValid() {
		return false
	}
	for _, pfx := range p.trusted {
		if pfx.Contains(a) {
			return true
		}
	}
	return false
}
