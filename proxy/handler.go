package proxy

import (
	"context"
	"net/http"
	"net/netip"
)

type contextKey struct{ name string }

// infoKey is a pointer so that no other package can build the same key.
var infoKey = &contextKey{"sesame/proxy.Info"}

// Handler returns h wrapped so that every request carries its Info in its
// context (read it with FromContext, ClientIP, IsHTTPS, Host). The request is
// otherwise passed on as it came: no header is rewritten and r.RemoteAddr,
// r.Host and r.TLS keep the connection's values, so logs and code that read
// them directly see what really happened on the wire. Safe for concurrent use.
func (p *Proxy) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := &infoCtx{Context: r.Context()}
		ctx.info = p.Resolve(r)
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// infoCtx carries the Info in one allocation; context.WithValue would box the
// Info and allocate its own node besides.
type infoCtx struct {
	context.Context
	info Info
}

func (c *infoCtx) Value(key any) any {
	if key == infoKey {
		return &c.info
	}
	return c.Context.Value(key)
}

// FromContext returns the Info that Handler stored, and whether there was one.
func FromContext(ctx context.Context) (Info, bool) {
	if info, ok := ctx.Value(infoKey).(*Info); ok {
		return *info, true
	}
	return Info{}, false
}

// ClientIP returns the client address Handler decided, or, when the stage did
// not run, the TCP peer's (which is right only for a server without proxies).
func ClientIP(r *http.Request) netip.Addr {
	if info, ok := FromContext(r.Context()); ok {
		return info.ClientIP
	}
	a, _ := parseHostPort(r.RemoteAddr, false)
	return a
}

// IsHTTPS reports whether the client used https, as Handler decided, or, when
// the stage did not run, whether this connection is TLS.
func IsHTTPS(r *http.Request) bool {
	if info, ok := FromContext(r.Context()); ok {
		return info.HTTPS
	}
	return r.TLS != nil
}

// Host returns the host the client asked for, as Handler decided, or r.Host
// when the stage did not run.
func Host(r *http.Request) string {
	if info, ok := FromContext(r.Context()); ok {
		return info.Host
	}
	return r.Host
}
