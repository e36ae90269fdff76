package main

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/sesame-go/sesame"
	dr "github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// newDemoStack describes the demo's deployment to sesame, which derives the cookie,
// CORS, CSRF and proxy policy from it. --trust-proxy entries are CIDRs, addresses
// and named ranges, or one hop count (Express's `trust proxy = N`). compat, when
// not nil, is the session configuration of --compat express: its cookie format,
// name and timeouts are kept, the Stack derives the rest.
func newDemoStack(cfg demoConfig, store session.Store, keys [][]byte, compat *session.Config, obs session.Observer, logger *slog.Logger) (*sesame.Stack, error) {
	sc := sesame.Config{
		APIOrigin:       cfg.PublicOrigin,
		FrontendOrigins: cfg.FrontendOrigins,
		Keys:            keys,
		Store:           store,
		IdleTimeout:     cfg.IdleTimeout,
		AbsoluteTimeout: cfg.AbsoluteTimeout,
		Dev:             cfg.Dev,
		Observer:        obs, // nil without --otel-stdout
		Logger:          logger,
	}
	if compat != nil {
		// The Express deployment's session settings, each in the one field of
		// sesame.Config that holds it; SameSite, Secure and Partitioned are
		// derived by the Stack from the origins, as for any deployment.
		ck := compat.Cookie
		sc.SessionFormat, sc.Rolling = compat.Format, compat.Rolling
		sc.CookieName, sc.CookieDomain, sc.CookiePath, sc.CookiePriority = ck.Name, ck.Domain, ck.Path, ck.Priority
		sc.BrowserSessionCookie, sc.CookieReadableByScripts = ck.BrowserSession, ck.DisableHTTPOnly
		sc.IdleTimeout = compat.IdleTimeout
		sc.AbsoluteTimeout = -1 // Express has none; see compat/express.SessionConfig
	}
	for _, t := range cfg.TrustProxy {
		n, err := strconv.Atoi(t)
		if err != nil {
			sc.TrustedProxies = append(sc.TrustedProxies, t)
			continue
		}
		if sc.ProxyHops != 0 || n <= 0 {
			return nil, dr.NewError(dr.InvalidProxyConfig, fmt.Sprintf("--trust-proxy %s: a hop count must be positive and given once", t),
				"give one hop count (e.g. --trust-proxy 1) or the proxies' addresses (e.g. --trust-proxy loopback)")
		}
		sc.ProxyHops = n
	}
	return sesame.New(sc)
}
