package proxy

import (
	"net/http"
	"net/netip"
)

// Info is what the proxy stage decided about a request.
type Info struct {
	// ClientIP is the client's address: walking the forwarded addresses from
	// right to left, the first one that is not a trusted proxy. When the walk
	// stops early (an entry that is not an address, "unknown", an obfuscated
	// node, the walk limits), it is the last address reached, a trusted proxy's
	// or the peer's; when every address is trusted, the leftmost one. Without
	// believed forwarding headers it is the peer. Zero only when r.RemoteAddr is
	// not an address (a Unix socket) and nothing better was forwarded.
	ClientIP netip.Addr
	// Peer is the TCP peer, from r.RemoteAddr, normalised (unmapped, no zone).
	Peer netip.Addr
	// HTTPS reports the scheme the client used: from X-Forwarded-Proto or
	// Forwarded proto= when those are believed, else r.TLS != nil.
	HTTPS bool
	// Host is the host the client asked for: from X-Forwarded-Host or Forwarded
	// host= when those are believed, else r.Host. A trusted proxy that passes a
	// client's own X-Forwarded-Host through unchanged (some load balancers set
	// X-Forwarded-For and -Proto but leave -Host alone) makes this value the
	// client's choice: have the proxy set or strip the header, or do not use
	// Host to decide anything about security.
	Host string
	// Forwarded reports whether forwarding headers were believed for this
	// request: the peer is trusted and sent at least one header of the
	// configured Source.
	Forwarded bool
}

// Canonical header names, looked up in r.Header directly: net/http canonicalises
// incoming names, and a map lookup with a constant costs nothing.
const (
	hdrXFF       = "X-Forwarded-For"
	hdrXFProto   = "X-Forwarded-Proto"
	hdrXFHost    = "X-Forwarded-Host"
	hdrForwarded = "Forwarded"
)

// Resolve decides the client address, scheme and host of r. It reads r and
// never changes it, allocates nothing (unless a Forwarded value uses
// quoted-pair escapes, which proxies do not write), and is safe for concurrent
// use. It is what Handler runs; call it directly where a middleware
// does not fit.
//
// The scheme and host are taken from the same hop as the client address, so
// that they describe the client's own connection:
//
//   - X-Forwarded-For: when X-Forwarded-Proto (or -Host) has as many entries as
//     X-Forwarded-For, the entry at the client's position; otherwise its
//     rightmost entry, the one the nearest trusted proxy wrote. The rightmost
//     entry is also used when the client is the peer itself.
//   - Forwarded: proto= and host= of the element whose for= gave the client, or
//     of the rightmost element when the client is the peer (for instance
//     because that element says for=unknown).
//
// A missing or invalid value (a scheme other than http or https, a host with
// characters no host has) falls back to r.TLS != nil or r.Host.
func (p *Proxy) Resolve(r *http.Request) Info {
	peer, _ := parseHostPort(r.RemoteAddr, false)
	info := Info{ClientIP: peer, Peer: peer, HTTPS: r.TLS != nil, Host: r.Host}
	if p == nil {
		return info
	}
	if !p.trusts(peer, 0) {
		p.noticeUntrusted(r, peer)
		return info
	}
	if p.source == Forwarded {
		p.resolveForwarded(r, &info)
	} else {
		p.resolveXFF(r, &info)
	}
	return info
}

func (p *Proxy) resolveXFF(r *http.Request, info *Info) {
	xff, xfp, xfh := r.Header[hdrXFF], r.Header[hdrXFProto], r.Header[hdrXFHost]
	if len(xff) == 0 && len(xfp) == 0 && len(xfh) == 0 {
		return
	}
	info.Forwarded = true
	hop := -1 // X-Forwarded-For entry (0: rightmost) that gave ClientIP; -1: the peer
	it := newListIter(xff, splitComma)
	for k := 0; ; k++ {
		e, st := it.next()
		if st != stepEntry {
			break // end of list: every address trusted, the leftmost is the client
		}
		a, ok := parseHostPort(e, false)
		if !ok {
			break // fail closed: keep the last address reached
		}
		info.ClientIP, hop = a, k
		if !p.trusts(a, k+1) {
			break
		}
	}
	if v, ok := sameHop(xfp, xff, hop); ok {
		if https, ok := parseProto(v); ok {
			info.HTTPS = https
		}
	}
	if v, ok := sameHop(xfh, xff, hop); ok && validHost(v) {
		info.Host = v
	}
}

// sameHop picks the X-Forwarded-Proto or -Host entry for the hop that gave the
// client: the entry at the same position when the lists have equal length (each
// proxy appended to both), else the rightmost.
func sameHop(values, xff []string, hop int) (string, bool) {
	if len(values) == 0 {
		return "", false
	}
	if hop > 0 {
		if n, ok := listLen(xff); ok {
			if m, ok := listLen(values); ok && m == n {
				return nthFromRight(values, hop)
			}
		}
	}
	return nthFromRight(values, 0)
}

func (p *Proxy) resolveForwarded(r *http.Request, info *Info) {
	lines := r.Header[hdrForwarded]
	if len(lines) == 0 {
		return
	}
	info.Forwarded = true
	var from element // the element that gave ClientIP, or the rightmost one
	it := newListIter(lines, splitElement)
	for k := 0; ; k++ {
		e, st := it.next()
		if st != stepEntry {
			break
		}
		el, ok := parseElement(e)
		if !ok {
			break
		}
		if k == 0 {
			from = el
		}
		a, kind := parseNode(el.forNode)
		if kind != nodeAddr {
			break // unknown, obfuscated or invalid: stop here, fail closed
		}
		info.ClientIP, from = a, el
		if !p.trusts(a, k+1) {
			break
		}
	}
	if from.proto.set {
		if https, ok := parseProto(from.proto.text()); ok {
			info.HTTPS = https
		}
	}
	if from.host.set {
		if h := from.host.text(); validHost(h) {
			info.Host = h
		}
	}
}
