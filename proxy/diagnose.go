package proxy

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"

	"github.com/sesame-go/sesame/problem"
)

// cgnat is the RFC 6598 shared address space, which some cloud load balancers
// and Kubernetes networks use for their own traffic: a peer there is as likely
// to be a proxy as one on an RFC 1918 network.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// noticeUntrusted reports, once per cause per Proxy, forwarding headers that
// arrived from a peer we do not trust and were therefore ignored. A private or
// loopback peer is most likely a proxy missing from Config.Trusted (SES002: the
// app then sees every request as coming from the proxy, over plain http, so
// Secure cookies and rate limits go wrong); a public peer is a client trying
// its luck or a CDN nobody listed (SES016). The per-request cost, once a cause
// has been reported, is one atomic load; with Config.OnRefuse set, every such
// request with a forwarding header is also passed to it.
func (p *Proxy) noticeUntrusted(r *http.Request, peer netip.Addr) {
	private := !peer.IsValid() || peer.IsLoopback() || peer.IsPrivate() ||
		peer.IsLinkLocalUnicast() || cgnat.Contains(peer)
	slot, rule := &p.untrustedPublic, problem.SpoofableClientIP
	if private {
		slot, rule = &p.untrustedPrivate, problem.ProxyNotTrusted
	}
	if p.onRefuse == nil && slot.Load() != nil {
		return
	}
	header := forwardingHeader(r.Header)
	if header == "" {
		return
	}
	if p.onRefuse != nil {
		p.onRefuse(r, rule)
		if slot.Load() != nil {
			return
		}
	}
	prob := untrustedProblem(private, peer, header, p.fields)
	if !slot.CompareAndSwap(nil, prob) {
		return // another request reported it first
	}
	level := slog.LevelInfo
	if private {
		level = slog.LevelWarn
	}
	logger := p.logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(r.Context(), level, "sesame/proxy: "+prob.Detail,
		slog.String("rule", string(prob.Rule)),
		slog.String("peer", addrString(peer)),
		slog.String("header", header),
		slog.String("fix", prob.Fix))
}

// forwardingHeader returns the first forwarding header h holds, or "".
func forwardingHeader(h http.Header) string {
	for _, name := range [...]string{hdrXFF, hdrForwarded, hdrXFProto, hdrXFHost} {
		if len(h[name]) > 0 {
			return name
		}
	}
	return ""
}

func untrustedProblem(private bool, peer netip.Addr, header string, fields problem.Fields) *problem.Problem {
	trusted, hops := fields.Name("proxy.Config.Trusted"), fields.Name("proxy.Config.Hops")
	if !private {
		return problem.NewWarning(problem.SpoofableClientIP,
			fmt.Sprintf("%s header from %s ignored: that public address is not in %s, so the header may be a client's own invention", header, addrString(peer), trusted),
			fmt.Sprintf("nothing to do if clients reach this server directly; if %s is a CDN or load balancer, add its published ranges to %s", addrString(peer), trusted))
	}
	var add string
	switch {
	case !peer.IsValid():
		return problem.NewWarning(problem.ProxyNotTrusted,
			fmt.Sprintf("%s header ignored: the request came over a connection without an IP address (a Unix socket?), which no %s entry can match", header, trusted),
			fmt.Sprintf("if a local proxy forwards over a Unix socket, set %s to 1 instead of %s", hops, trusted))
	case peer.IsLoopback():
		add = `"loopback"`
	case peer.IsLinkLocalUnicast():
		add = `"linklocal"`
	default:
		add = fmt.Sprintf(`%q (or "private" to trust every RFC 1918 / RFC 4193 address)`, addrString(peer))
	}
	return problem.NewWarning(problem.ProxyNotTrusted,
		fmt.Sprintf("%s header from %s ignored: that private address is not in %s, so the client address, scheme and host are the proxy's own and the app sees plain http", header, addrString(peer), trusted),
		fmt.Sprintf("if %s is your load balancer or reverse proxy, add %s to %s", addrString(peer), add, trusted))
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "(no IP address)"
	}
	return a.String()
}

// Findings returns the problems this Proxy has seen in traffic so far (rules
// SES002 and SES016), the first of each, for `sesame doctor` and health pages.
// It is safe for concurrent use.
func (p *Proxy) Findings() []problem.Problem {
	if p == nil {
		return nil
	}
	var out []problem.Problem
	for _, slot := range [...]*atomic.Pointer[problem.Problem]{&p.untrustedPrivate, &p.untrustedPublic} {
		if prob := slot.Load(); prob != nil {
			out = append(out, *prob)
		}
	}
	return out
}
