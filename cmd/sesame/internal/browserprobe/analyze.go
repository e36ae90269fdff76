package browserprobe

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/network"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// An analysis turns the requests Chromium reported into a doctor.Report.
type analysis struct {
	origin, target *url.URL
	apiOrigin      string
	page           bool              // --page: the real front end made the requests
	jar            []*network.Cookie // the cookies Chromium holds for the API at the end
	console        []string
	thirdParty     bool // third-party cookies were allowed
	schemeOnly     bool // the front end and the API differ in scheme only

	rep  *doctor.Report
	seen map[string]bool
}

func (a *analysis) build(reqs []request) *doctor.Report {
	rel, schemeOnly := origin.Relate(origin.FromURL(a.origin), origin.FromURL(a.target))
	a.schemeOnly = schemeOnly
	a.rep = &doctor.Report{Origin: a.origin.String(), URL: a.target.String(), Relation: rel.String(),
		Exchanges: []doctor.Exchange{}, Findings: []doctor.Finding{}}
	a.seen = map[string]bool{}
	loginSetCookies, sawLogin := 0, false
	stored := map[string]bool{} // cookies stored from the API's responses so far
	reqs = preflightsFirst(reqs)
	for i := range reqs {
		q := &reqs[i]
		if q.url == "" || !strings.HasPrefix(q.url, a.apiOrigin+"/") && q.url != a.apiOrigin {
			continue // the page itself, its scripts and styles
		}
		step := q.step
		if q.preflight {
			step += " preflight"
		}
		resp := httpHeader(q.respHdrs)
		ex := doctor.Exchange{Step: step, Method: q.method, URL: q.url, Request: httpHeader(q.headers),
			Status: int(q.status), Response: resp, Probe: doctor.ProbeBrowser, Stored: []string{}}
		if q.preflight {
			ex.Method = http.MethodOptions
		}
		lines := resp.Values("Set-Cookie")
		if q.step == "login" && !q.preflight && q.hasResp && q.status > 0 {
			sawLogin = true
			loginSetCookies += len(lines)
		}
		for _, line := range lines {
			if b := blockedFor(q.blocked, line); b != nil {
				a.blockedSetCookie(step, q.url, b)
				continue
			}
			name, _, _ := strings.Cut(line, "=")
			ex.Stored = append(ex.Stored, strings.TrimSpace(name))
		}
		for _, b := range q.blocked { // blocked lines the headers did not show
			if !slices.ContainsFunc(lines, func(l string) bool { return blockedFor([]*network.BlockedSetCookieWithReason{b}, l) != nil }) {
				a.blockedSetCookie(step, q.url, b)
			}
		}
		for _, c := range q.sent {
			if len(c.BlockedReasons) > 0 {
				a.unsentCookie(step, q.url, c)
			}
		}
		if q.failed != nil {
			ex.Blocked = true
			a.failure(step, q, resp)
		}
		if q.step == "page" && !q.preflight && (q.failed == nil || q.failed.CorsErrorStatus == nil) {
			a.noCredentials(q, stored)
		}
		for _, n := range ex.Stored {
			stored[n] = true
		}
		a.rep.Exchanges = append(a.rep.Exchanges, ex)
	}
	if sawLogin && loginSetCookies == 0 {
		u := a.target.String()
		for _, ex := range a.rep.Exchanges {
			if ex.Step == "login" {
				u = ex.URL
			}
		}
		a.add("login", u, problem.NewError(problem.NoCookieSet,
			"Chromium received the login's response without any Set-Cookie header, so it has no session cookie to send; over http:// a server that marks its cookie Secure sends none, and behind a TLS-terminating proxy an application that does not trust the proxy does the same ("+string(problem.ProxyNotTrusted)+")", ""),
			"(no Set-Cookie header in the login response Chromium received)")
	}
	return a.rep
}

// add records a finding once per rule, evidence and detail.
func (a *analysis) add(step, u string, p *problem.Problem, evidence string) {
	key := string(p.Rule) + "\x00" + evidence + "\x00" + p.Detail
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	a.rep.Findings = append(a.rep.Findings, doctor.Finding{Rule: p.Rule, Severity: p.Severity, Step: step, URL: u,
		Evidence: evidence, Detail: p.Detail, Fix: p.Fix, Probe: doctor.ProbeBrowser})
}

// blockedSetCookie reports a Set-Cookie Chromium refused, with its reasons.
func (a *analysis) blockedSetCookie(step, u string, b *network.BlockedSetCookieWithReason) {
	reasons := make([]string, len(b.BlockedReasons))
	for i, r := range b.BlockedReasons {
		reasons[i] = string(r)
	}
	name := cookieName(b.CookieLine, b.Cookie)
	evidence := "Set-Cookie: " + b.CookieLine + "\nChromium: blockedReasons [" + strings.Join(reasons, ", ") + "]"
	// Third-party blocking hides nothing the other reasons say; it is reported
	// as its own finding only when it is the one reason, so the report names
	// the fault to fix first, as the HTTP probe does.
	only3P := !slices.ContainsFunc(reasons, func(r string) bool { return !thirdParty(r) })
	for _, r := range b.BlockedReasons {
		rule, ok := setCookieRule(r)
		if !ok {
			a.add(step, u, problem.NewError(problem.CookieSyntax,
				fmt.Sprintf("Chromium refused cookie %q for a reason no rule names (%s)", name, r), ""), evidence)
			continue
		}
		if rule == problem.ThirdPartyBlocking && !only3P {
			continue
		}
		if rule == problem.MixedScheme && !a.schemeOnly {
			// Chromium names its schemeful check even when the sites differ by
			// more than the scheme.
			rule = problem.CrossSiteLax
		}
		a.add(step, u, problem.NewError(rule, a.setCookieDetail(name, r, reasons), setCookieFix(rule)), evidence)
	}
}

func (a *analysis) setCookieDetail(name string, r network.SetCookieBlockedReason, all []string) string {
	d := fmt.Sprintf("Chromium refused to store cookie %q from this response (%s)", name, r)
	if thirdParty(string(r)) {
		d += fmt.Sprintf(": %s and %s are different sites, and a default Chromium profile blocks third-party cookies", a.origin, a.apiOrigin)
		if a.thirdParty {
			d = fmt.Sprintf("Chromium refused to store cookie %q as a third-party cookie (%s)", name, r)
		}
	} else if len(all) > 1 {
		d += "; all its reasons: " + strings.Join(all, ", ")
	}
	return d
}

func setCookieFix(rule problem.ID) string {
	switch rule {
	case problem.ThirdPartyBlocking:
		return "add Partitioned to the cookie (SameSite=None; Secure; Partitioned: CHIPS, kept under the front end's site even with third-party cookies blocked), or serve the API from the front end's site"
	case problem.CrossSiteLax:
		return "SameSite=None; Secure (with Partitioned for browsers that block third-party cookies), or serve the API from the front end's site"
	}
	return ""
}

// unsentCookie reports a stored cookie Chromium did not send with a request.
func (a *analysis) unsentCookie(step, u string, c *network.AssociatedCookie) {
	reasons := make([]string, len(c.BlockedReasons))
	for i, r := range c.BlockedReasons {
		reasons[i] = string(r)
	}
	name := ""
	if c.Cookie != nil {
		name = c.Cookie.Name
	}
	evidence := fmt.Sprintf("(no cookie %q in the request)\nChromium: associatedCookies %s blockedReasons [%s]", name, name, strings.Join(reasons, ", "))
	for _, r := range c.BlockedReasons {
		rule, ok := cookieRule(r)
		if !ok {
			continue
		}
		if rule == problem.MixedScheme && !a.schemeOnly {
			rule = problem.CrossSiteLax
		}
		a.add(step, u, problem.NewError(rule,
			fmt.Sprintf("Chromium holds cookie %q but did not send it with this request (%s)", name, r), setCookieFix(rule)), evidence)
	}
}

// failure reports a request Chromium failed: a CORS error, with the console's
// explanation as evidence, or a network error.
func (a *analysis) failure(step string, q *request, resp http.Header) {
	f := q.failed
	if f.CorsErrorStatus == nil {
		if f.Canceled {
			return
		}
		a.add(step, q.url, problem.NewError(problem.OriginMismatch,
			fmt.Sprintf("Chromium could not load %s: %s%s", q.url, f.ErrorText, blockedReason(f.BlockedReason)),
			"check that the API is reachable from the browser (name, port, certificate)"), "Chromium: "+f.ErrorText)
		return
	}
	ce := f.CorsErrorStatus
	anyCORS := false
	for k := range resp {
		if strings.HasPrefix(strings.ToLower(k), "access-control-allow-") {
			anyCORS = true
		}
	}
	evidence := "Chromium: corsError " + string(ce.CorsError)
	if ce.FailedParameter != "" {
		evidence += " (failedParameter " + ce.FailedParameter + ")"
	}
	if msg := a.consoleFor(q.url); msg != "" {
		evidence += "\nconsole: " + msg
	}
	for _, h := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Location"} {
		for _, v := range resp.Values(h) {
			evidence += "\n" + h + ": " + v
		}
	}
	rule, ok := corsRule(ce.CorsError, anyCORS)
	if !ok {
		rule = problem.OriginMismatch
	}
	what := "the response"
	if q.preflight {
		what = "the preflight"
	}
	a.add(step, q.url, problem.NewError(rule,
		fmt.Sprintf("Chromium refused %s to %s %s from %s: CORS error %s", what, q.method, q.url, a.origin, ce.CorsError), ""), evidence)
}

func blockedReason(r network.BlockedReason) string {
	if r == "" {
		return ""
	}
	return " (blocked: " + string(r) + ")"
}

// consoleFor returns Chromium's console message about url, e.g. "Access to
// fetch at 'URL' from origin 'O' has been blocked by CORS policy: …".
func (a *analysis) consoleFor(u string) string {
	for _, m := range a.console {
		if strings.Contains(m, "'"+u+"'") && strings.Contains(m, "CORS") {
			return m
		}
	}
	return ""
}

// noCredentials reports a request of the page that went without any of the
// cookies Chromium held for it (stored from an earlier response and still in
// its jar), and without a reason of Chromium's: the front end did not ask for
// credentials (SES009).
func (a *analysis) noCredentials(q *request, stored map[string]bool) {
	if len(q.sent) > 0 {
		return // sent, or not sent for a reason reported above
	}
	var held []string
	for _, c := range a.jar {
		if stored[c.Name] && cookieApplies(c, q.url) {
			held = append(held, c.Name)
		}
	}
	if len(held) == 0 {
		return
	}
	a.add("page", q.url, problem.NewError(problem.NoCredentialsSent,
		fmt.Sprintf("the page sent %s %s without a Cookie header, while Chromium holds %s for it: the front end's request does not include credentials", q.method, q.url, strings.Join(held, ", ")),
		"fetch: fetch(url, { credentials: 'include' }); axios: axios.create({ withCredentials: true }) or axios.defaults.withCredentials = true"),
		fmt.Sprintf("%s %s\n(no Cookie header; Chromium's associatedCookies for it: none)", q.method, q.url))
}

// cookieApplies is a coarse domain and path match of a stored cookie against a
// URL: only cookies Chromium reported for the API's origin are in the jar.
func cookieApplies(c *network.Cookie, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	d := strings.TrimPrefix(c.Domain, ".")
	if host != d && !strings.HasSuffix(host, "."+d) {
		return false
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	return strings.HasPrefix(p, c.Path)
}

// blockedFor finds the blocked entry for one Set-Cookie line.
func blockedFor(bs []*network.BlockedSetCookieWithReason, line string) *network.BlockedSetCookieWithReason {
	for _, b := range bs {
		if strings.TrimSpace(b.CookieLine) == strings.TrimSpace(line) {
			return b
		}
	}
	return nil
}

func cookieName(line string, c *network.Cookie) string {
	if c != nil && c.Name != "" {
		return c.Name
	}
	name, _, _ := strings.Cut(line, "=")
	return strings.TrimSpace(name)
}

// httpHeader converts Chromium's headers (repeated headers joined by "\n").
func httpHeader(h network.Headers) http.Header {
	out := http.Header{}
	for k, v := range h {
		s := fmt.Sprint(v)
		for line := range strings.SplitSeq(s, "\n") {
			out.Add(k, line)
		}
	}
	return out
}

// preflightsFirst puts each preflight before the request it was for: Chromium
// announces the request before the preflight it sends for it.
func preflightsFirst(reqs []request) []request {
	out := slices.Clone(reqs)
	for i := range out {
		if !out[i].preflight {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			if !out[j].preflight && out[j].url == out[i].url && out[j].step == out[i].step {
				p := out[i]
				copy(out[j+1:i+1], out[j:i])
				out[j] = p
				break
			}
		}
	}
	return out
}
