package main

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/sesame-go/sesame"
	dr "github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/session"
)

// newDemoStack describes the demo's deployment to sesame, which derives the cookie,
// CORS, CSRF and proxy policy from it. --trust-proxy entries are CIDRs, addresses
// and named ranges, or one hop count (Express's `trust proxy = N`).
func newDemoStack(cfg demoConfig, store session.Store, keys [][]byte, logger *slog.Logger) (*sesame.Stack, error) {
	sc := sesame.Config{
		APIOrigin:       cfg.PublicOrigin,
		FrontendOrigins: cfg.FrontendOrigins,
		Keys:            keys,
		Store:           store,
		IdleTimeout:     cfg.IdleTimeout,
		AbsoluteTimeout: cfg.AbsoluteTimeout,
		Dev:             cfg.Dev,
		Logger:          logger,
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
