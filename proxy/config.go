package proxy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/sesame-go/sesame/problem"
)

// Source names the header family a Proxy reads. Proxies in front of one server
// should all speak the same one; reading both would let a client pick whichever
// suits it.
type Source int

const (
	// XForwardedFor reads X-Forwarded-For for the addresses, X-Forwarded-Proto for
	// the scheme and X-Forwarded-Host for the host. It is the zero value.
	XForwardedFor Source = iota
	// Forwarded reads the RFC 7239 Forwarded header: for=, proto= and host= of
	// each element (by= and extensions are parsed and ignored).
	Forwarded
)

// String returns the name of the header the source reads.
func (s Source) String() string {
	switch s {
	case XForwardedFor:
		return "X-Forwarded-For"
	case Forwarded:
		return "Forwarded"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Walk limits. Nothing legitimate comes near them: a request crosses a handful of
// proxies, each adding fewer than 100 bytes. Beyond them the walk fails closed
// (the client is the last address already reached), so a client cannot make the
// server scan a megabyte of commas, and cannot push its real address out of reach
// either: the walk starts at the right, where your proxies write.
const (
	maxEntries = 64       // entries (and header lines) walked per header
	maxBytes   = 16 << 10 // bytes looked at per header, from the right
)

// Config describes the proxies in front of the server. The zero Config trusts
// nothing: forwarding headers are ignored and every request's client is its TCP
// peer, which is right for a server that faces the internet directly.
type Config struct {
	// Trusted lists the proxies whose forwarding headers are believed: CIDRs
	// ("10.0.0.0/8", "2001:db8::/32"), IP/netmask ("10.0.0.0/255.0.0.0"), single
	// addresses ("10.1.2.3", "::1"), or the named ranges
	//
	//	loopback     127.0.0.0/8, ::1/128
	//	linklocal    169.254.0.0/16, fe80::/10
	//	private      10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), fc00::/7 (RFC 4193)
	//	uniquelocal  the same as private: Express's proxy-addr gives "uniquelocal"
	//	             this meaning, and configurations copied from Express keep it
	//
	// An entry may also be a comma-separated list, as Express accepts
	// ("loopback, 10.0.0.0/8"). Entries with host bits set ("10.0.0.1/8"), zones,
	// or a prefix covering every address ("0.0.0.0/0", "::/0": the client could
	// then choose its own address) are rejected. IPv4-mapped IPv6 entries match
	// the IPv4 address.
	//
	// Default: empty, nothing trusted, forwarding headers ignored.
	Trusted []string

	// Hops, when > 0, trusts exactly that many proxies in front of the server,
	// whatever their addresses (Express's `trust proxy = N`). The TCP peer is hop
	// 1, so with Hops: 1 the client is the rightmost X-Forwarded-For entry, with
	// Hops: 2 the one left of it, and so on; when there are fewer entries than
	// that, the leftmost entry is the client. Use it only when the proxies'
	// addresses are unknowable (autoscaled pools, a PaaS router) and the number of
	// hops is fixed: with one proxy fewer than configured (a CDN taken out, a
	// direct route to the router) the client chooses its address; with one more,
	// every request seems to come from a proxy. Trusted and Hops are exclusive.
	// At most 64.
	//
	// Default: 0, use Trusted.
	Hops int

	// Source picks the header family: XForwardedFor (with X-Forwarded-Proto and
	// X-Forwarded-Host) or Forwarded (RFC 7239). Only the configured one is read.
	//
	// Default: XForwardedFor.
	Source Source

	// Logger receives the once-per-cause diagnostics (rules SES002 and SES016),
	// each as one record with the attributes "rule", "peer", "header" and "fix".
	//
	// Default: nil, slog.Default() at the time of logging.
	Logger *slog.Logger

	// OnRefuse, when set, is called for every request whose forwarding headers
	// were ignored because its peer is not in Trusted, with the rule: SES002
	// for a private or loopback peer (most likely a proxy missing from
	// Trusted), SES016 for a public one (a client's own header, or an unlisted
	// CDN). Unlike Logger, which hears of each cause once, it is called per
	// request. It must be safe for concurrent use and should return quickly.
	// The sesame Stack sets it when its Observer is a sesame.RefusalObserver.
	// Default nil: nothing is called, at no cost.
	OnRefuse func(r *http.Request, rule problem.ID)

	// Fields renames this Config's fields in messages ("proxy.Config.Trusted")
	// to those of the configuration the user wrote; the sesame Stack sets it so
	// that messages name sesame.Config's fields. Default nil: messages name
	// proxy.Config's.
	Fields problem.Fields
}

// A Proxy resolves the client, scheme and host of requests according to its
// Config. It is safe for concurrent use by multiple goroutines. The zero Proxy
// (and a nil *Proxy) trusts nothing.
type Proxy struct {
	trusted []netip.Prefix
	hops    int
	source  Source
	logger  *slog.Logger
	fields  problem.Fields
	// onRefuse is Config.OnRefuse; nil: findings are only logged, once.
	onRefuse func(*http.Request, problem.ID)

	// The first finding per rule, set once (compare-and-swap from nil) so that
	// a cause is logged once per Proxy, not once per request.
	untrustedPrivate atomic.Pointer[problem.Problem] // SES002
	untrustedPublic  atomic.Pointer[problem.Problem] // SES016
}

// New validates c and returns a Proxy. Every problem is reported at once: the
// error joins one *problem.Problem (rule SES033) per bad entry or setting.
func New(c Config) (*Proxy, error) {
	p := &Proxy{hops: c.Hops, source: c.Source, logger: c.Logger, fields: c.Fields, onRefuse: c.OnRefuse}
	f := c.Fields.Name
	var errs []error
	bad := func(detail, fix string) {
		errs = append(errs, problem.NewError(problem.InvalidProxyConfig, detail, fix))
	}
	for _, entry := range c.Trusted {
		if strings.TrimSpace(entry) == "" {
			bad(f("proxy.Config.Trusted")+" has an empty entry",
				`remove it, or write a CIDR ("10.0.0.0/8"), an address or a named range ("loopback", "private")`)
			continue
		}
		for item := range strings.SplitSeq(entry, ",") {
			prefixes, err := parseTrusted(strings.TrimSpace(item), c.Fields)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p.trusted = append(p.trusted, prefixes...)
		}
	}
	switch {
	case c.Hops < 0:
		bad(fmt.Sprintf("%s is %d", f("proxy.Config.Hops"), c.Hops),
			fmt.Sprintf("set %s to the number of proxies in front of the server (1 for one load balancer), or leave it 0 and list them in %s", f("proxy.Config.Hops"), f("proxy.Config.Trusted")))
	case c.Hops > maxEntries:
		bad(fmt.Sprintf("%s is %d, above the walk limit of %d", f("proxy.Config.Hops"), c.Hops, maxEntries),
			"count the proxies between the internet and this server; no real chain is that long")
	case c.Hops > 0 && len(c.Trusted) > 0:
		bad(fmt.Sprintf("both %s and %s are set", f("proxy.Config.Trusted"), f("proxy.Config.Hops")),
			fmt.Sprintf("keep %s (preferred: it names your proxies) or %s (when their addresses are unknowable), not both", f("proxy.Config.Trusted"), f("proxy.Config.Hops")))
	}
	if c.Source != XForwardedFor && c.Source != Forwarded {
		bad(fmt.Sprintf("%s is %v", f("proxy.Config.Source"), c.Source),
			"use proxy.XForwardedFor (the default) or proxy.Forwarded")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// Warnings returns the problems New found that do not stop the Proxy from
// working. New never logs them: whoever builds the Proxy does (the sesame Stack
// logs every stage's warnings once). A Proxy has none today; the method gives
// every stage the same shape.
func (p *Proxy) Warnings() []*problem.Problem { return nil }
