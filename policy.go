package sesame

import (
	"fmt"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// policy is what New derives from a Config: the cookie attributes and why.
type policy struct {
	api         origin.Origin
	apiSite     origin.Site
	frontends   []frontend
	sameSite    cookie.SameSite
	secure      session.SecureMode
	partitioned bool
	cookieName  string
	reasons     []string // plain sentences for Explain
}

type frontend struct {
	raw       string
	crossSite bool
	relation  string // a sentence for Explain
}

// derive computes the policy. Problems come back as *problem.Problem values;
// malformed front-end origins are left to the CORS stage, which reports them.
func derive(cfg Config) (policy, []error) {
	var p policy
	var errs []error
	if cfg.APIOrigin == "" {
		return p, []error{problem.NewError(problem.MalformedOrigin, "sesame: Config.APIOrigin is required",
			`set it to the origin browsers use to reach the API, e.g. "https://api.example.com"`)}
	}
	pat, probs := origin.ParsePattern(cfg.APIOrigin)
	for _, pr := range probs {
		errs = append(errs, &problem.Problem{Rule: pr.Rule, Severity: pr.Severity, Detail: "sesame: APIOrigin: " + pr.Detail, Fix: pr.Fix})
	}
	if len(probs) > 0 {
		return p, errs
	}
	if !pat.Exact() {
		return p, []error{problem.NewError(problem.MalformedOrigin, "sesame: APIOrigin cannot be a pattern", "name the API's one public origin")}
	}
	api := origin.Origin{Scheme: pat.Scheme, Host: pat.Host, Port: pat.Port}
	p.api = api
	p.apiSite = api.Site()

	anyCross := false
	for _, raw := range cfg.FrontendOrigins {
		// A subdomain pattern has the site of its parent domain, and an
		// any-port localhost the site of localhost.
		fp, probs := origin.ParsePattern(raw)
		if len(probs) > 0 {
			continue // cors.New names them (SES015, SES024, SES026)
		}
		fs := fp.Site()
		suffix, private := origin.PublicSuffix(fp.Host)
		f := frontend{raw: raw}
		switch {
		case fs == p.apiSite:
			f.relation = fmt.Sprintf("same site as the API (%s): SameSite=Lax cookies are sent with its requests.", fs)
		case fs.Domain == p.apiSite.Domain:
			f.crossSite = true
			f.relation = fmt.Sprintf("a different site from the API only by scheme (%s vs %s): browsers compare sites with their scheme (schemeful same-site), so this is cross-site.", fs.Scheme, p.apiSite.Scheme)
			errs = append(errs, problem.NewWarning(problem.MixedScheme,
				fmt.Sprintf("front end %s is served over %s and the API over %s: they are different sites", raw, fs.Scheme, p.apiSite.Scheme),
				"serve the front end over https too"))
		case private:
			f.crossSite = true
			f.relation = fmt.Sprintf("cross-site: %s is on the public suffix list, so every subdomain of it is its own site (%s vs %s), however alike the names look.", suffix, fs, p.apiSite)
		default:
			f.crossSite = true
			f.relation = fmt.Sprintf("cross-site (%s vs %s).", fs, p.apiSite)
		}
		anyCross = anyCross || f.crossSite
		p.frontends = append(p.frontends, f)
	}

	apiHTTPS := api.Scheme == "https"
	switch {
	case !anyCross:
		p.sameSite = cookie.SameSiteLax
		p.secure = session.SecureAuto
		if apiHTTPS {
			p.secure = session.SecureAlways
		}
		if len(p.frontends) > 0 {
			p.reasons = append(p.reasons, "Every front end is same-site with the API, so SameSite=Lax: the cookie goes with their fetches and never with another site's requests.")
		}
	default:
		// RFC 6265bis §5.6.7: a cookie goes with a cross-site fetch only with
		// SameSite=None, which browsers accept only with Secure. Partitioned
		// (CHIPS) keeps it working where third-party cookies are blocked, as in a
		// default Chromium profile; it is then keyed to the front end's site.
		p.sameSite, p.secure, p.partitioned = cookie.SameSiteNone, session.SecureAlways, true
		p.reasons = append(p.reasons, "A front end is cross-site, so SameSite=None; Secure; Partitioned: None lets the cookie go with cross-site fetches, Secure is what browsers demand for None, and Partitioned (CHIPS) keeps the cookie where third-party cookies are blocked, keyed to the front end's site.")
		if !apiHTTPS && !origin.IsLoopback(api.Host) {
			errs = append(errs, problem.NewError(problem.NoneWithoutSecure,
				fmt.Sprintf("a cross-site front end needs a SameSite=None; Secure cookie, and the API %s is not served over HTTPS", api),
				"serve the API over https (behind a TLS-terminating proxy, set APIOrigin to its https origin)"))
		}
		errs = append(errs, problem.NewWarning(problem.ThirdPartyBlocking,
			"a cross-site front end depends on cross-site cookies: Safari and Firefox in strict mode may still refuse them, and Chromium keeps only the Partitioned cookie",
			"put the front end and the API on one site (app.example.com and api.example.com), or serve the API through the front end's origin (a /api reverse proxy)"))
	}
	// __Host- (RFC 6265bis §4.1.3.2) makes the browser refuse any cookie of that
	// name set by a subdomain or over plain HTTP. Whether the cookie this policy
	// writes may carry it is cookie's prefix rule (Secure, no Domain, Path=/),
	// asked of the cookie itself rather than restated here.
	p.cookieName = "sid"
	host := cookie.Cookie{Name: "__Host-sid", Value: "x", Secure: p.secure == session.SecureAlways, Domain: cfg.CookieDomain, Path: cfg.CookiePath}
	if _, err := host.Check(api.Host); err == nil {
		p.cookieName = host.Name
	}
	return p, errs
}
