package sesame

import "github.com/sesame-go/sesame/problem"

// fields renames the stages' configuration fields, in their messages, to the
// Config fields the user set: a Stack is configured through Config alone, so a
// message naming proxy.Config.Trusted would name a setting the user never saw.
// Every stage gets the same table (problem.Fields); a name not in it is left as
// it is, and TestFixTextsNameTheCalledAPI fails for any that reaches a message.
var fields = problem.Fields{
	"proxy.Config.Trusted": "sesame.Config.TrustedProxies",
	"proxy.Config.Hops":    "sesame.Config.ProxyHops",
	"proxy.Config.Source":  "sesame.Config.ProxyHeader",

	"cors.Config.Origins":        "sesame.Config.FrontendOrigins",
	"cors.Config.Methods":        "sesame.Config.AllowMethods",
	"cors.Config.RequestHeaders": "sesame.Config.AllowHeaders",
	"cors.Config.ExposeHeaders":  "sesame.Config.ExposeHeaders",
	"cors.Config.MaxAge":         "sesame.Config.CORSMaxAge",

	"csrf.Config.TrustedOrigins": "sesame.Config.FrontendOrigins",
	"csrf.Config.Allowlist":      "sesame.Config.FrontendOrigins",

	"session.Config.Store":           "sesame.Config.Store",
	"session.Config.Keys":            "sesame.Config.Keys",
	"session.Config.IdleTimeout":     "sesame.Config.IdleTimeout",
	"session.Config.AbsoluteTimeout": "sesame.Config.AbsoluteTimeout",
	// The Stack answers IsHTTPS with the proxy stage: what makes it see HTTPS
	// behind a TLS-terminating proxy is trusting that proxy.
	"session.Config.IsHTTPS": "sesame.Config.TrustedProxies",
	// The Stack makes the cookie Secure because the API origin is https.
	"session.Config.Cookie.Secure": "sesame.Config.APIOrigin",
}
