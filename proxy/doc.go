// Package proxy is sesame's first stage: it decides who is calling and over which
// scheme when the server sits behind load balancers and reverse proxies that
// terminate TLS, and it does so without letting a client spoof the answer.
//
// A proxy reports the client it received a request from by appending to
// X-Forwarded-For (or by adding an element to the RFC 7239 Forwarded header), and
// the scheme and host the client asked for in X-Forwarded-Proto and
// X-Forwarded-Host (or Forwarded's proto= and host=). Anyone can send those
// headers, so they mean something only when the proxy that wrote them is one of
// yours. [New] takes the list of your proxies (CIDRs, addresses, or the named
// ranges "loopback", "linklocal", "private", "uniquelocal") or the number of proxy
// hops in front of the server, and [Proxy.Resolve] walks the forwarded addresses
// from right to left, skipping your proxies, until it reaches the first address
// that is not one of them: that is the client. The leftmost address, which the
// client wrote itself, is never believed just because it is leftmost (see
// "The perils of the 'real' client IP" by Adam Pritchard, and the deprecation of
// chi's RealIP for exactly that reason).
//
// The walk fails closed: an entry that is not an address, an RFC 7239 "unknown"
// or obfuscated ("_hidden") node, or a header beyond the walk limits (64 entries,
// 16 KiB looked at) stops it, and the client is the last address already reached,
// which is one of your proxies or the TCP peer. It never jumps past something it
// cannot read to a value further left, which a client could have written.
//
// A request whose TCP peer is not trusted gets no say at all: its forwarding
// headers are ignored, and the Proxy logs once (rule SES002 when the peer has a
// private or loopback address, so is probably a proxy you forgot to list; SES016
// when it is a public address) what it ignored and what to change.
//
// [Proxy.Handler] stores the decision, an [Info], in the request context and never
// otherwise changes the request; [ClientIP], [IsHTTPS] and [Host] read it back and
// fall back to the connection's own values when the stage did not run.
package proxy
