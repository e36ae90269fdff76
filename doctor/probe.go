package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// A ProbeConfig describes what a browser on the front end's origin would do.
type ProbeConfig struct {
	// Origin is the front end's origin, e.g. "https://app.example.com". Required.
	Origin string
	// URL is the API URL the front end reads with credentials, e.g.
	// "https://api.example.com/api/me". Required.
	URL string
	// Method of the request to URL. Default "GET".
	Method string
	// Header holds the headers the front end's fetch sets itself (Authorization,
	// X-Requested-With, Content-Type…). Headers that only a browser sets
	// (Origin, Cookie, Sec-Fetch-*) are ignored here: the probe sets them.
	Header http.Header
	// LoginURL, when set, is POSTed first with LoginBody, as the front end's
	// login would; the cookies it sets are sent with the request to URL.
	LoginURL string
	// LoginBody is the login request's body. Default empty.
	LoginBody string
	// LoginContentType is the login body's type. Default "application/json",
	// which makes the login a preflighted request, as in a real front end.
	LoginContentType string
	// Transport sends the requests. Default: a clone of http.DefaultTransport
	// without a proxy. Redirects are never followed by the transport: the probe
	// follows them itself, as a browser does, checking each hop.
	Transport http.RoundTripper
	// Now is the clock for cookie lifetimes. Default time.Now.
	Now func() time.Time
}

// maxRedirects is Fetch's redirect limit.
const maxRedirects = 20

// Probe behaves as a browser on cfg.Origin would: it sends the preflight a browser
// would send (only when the request needs one), the credentialed request with the
// cookies a browser would have kept, optionally after a login, and judges every
// response with the rules browsers apply. A finding is a misconfiguration; an
// error means the probe could not talk to the server (the report holds what was
// seen until then). Probe is safe for concurrent use with distinct configs.
func Probe(ctx context.Context, cfg ProbeConfig) (*Report, error) {
	p, err := newProber(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.LoginURL != "" {
		lu, err := url.Parse(cfg.LoginURL)
		if err != nil || !lu.IsAbs() {
			return nil, fmt.Errorf("doctor: login URL %q is not an absolute URL", cfg.LoginURL)
		}
		h := cloneHeader(cfg.Header)
		ct := cfg.LoginContentType
		if ct == "" {
			ct = "application/json"
		}
		h.Set("Content-Type", ct)
		setCookies, err := p.fetch(ctx, "login", http.MethodPost, lu, h, cfg.LoginBody)
		if err != nil {
			return p.report, err
		}
		if setCookies == 0 {
			detail := fmt.Sprintf("the login (POST %s) answered %d without any Set-Cookie header, so the browser has no session cookie to send", lu, p.lastStatus)
			switch {
			case p.lastStatus >= 400:
				detail += "; the login itself failed: its response says why"
			case lu.Scheme == "http":
				detail += "; over http:// a server that marks its cookie Secure (express-session cookie.secure: true) sends none at all"
			default:
				detail += "; behind a TLS-terminating proxy, an application that does not trust the proxy believes the request is http:// and skips a Secure cookie (" + string(problem.ProxyNotTrusted) + ")"
			}
			p.add("login", lu, problem.NewError(problem.NoCookieSet, detail, ""), "(no Set-Cookie header in the login response)")
		}
	}
	method := cfg.Method
	if method == "" {
		method = http.MethodGet
	}
	if _, err := p.fetch(ctx, "request", method, p.target, cloneHeader(cfg.Header), ""); err != nil {
		return p.report, err
	}
	return p.report, nil
}

type prober struct {
	cfg        ProbeConfig
	client     *http.Client
	origin     *url.URL
	target     *url.URL
	jar        jar
	now        func() time.Time
	report     *Report
	lastStatus int

	// seen maps a finding's key (rule, evidence, detail) to the index of the
	// root finding it was reported as (-1: only as a consequence so far);
	// seenUnder holds "root index, key" of the consequences; lastRoot is the
	// root the last add landed at or under.
	seen      map[string]int
	seenUnder map[string]bool
	lastRoot  int
	// blocked is the root finding of this fetch's refused preflight, -1 when
	// the preflight passed or none was needed: findings until the next fetch
	// are its consequences.
	blocked int
	// causes maps the rule of a CORS refusal to its root finding: the same rule
	// seen again (the next fetch refused for the same origin) is folded under it.
	causes map[problem.ID]int
}

func newProber(cfg ProbeConfig) (*prober, error) {
	var errs []error
	o, err := url.Parse(cfg.Origin)
	switch {
	case err != nil || o.Scheme == "" || o.Host == "":
		errs = append(errs, fmt.Errorf("doctor: origin %q is not an origin such as https://app.example.com", cfg.Origin))
	case o.Scheme != "http" && o.Scheme != "https":
		errs = append(errs, fmt.Errorf("doctor: origin %q must be http or https", cfg.Origin))
	case (o.Path != "" && o.Path != "/") || o.RawQuery != "" || o.User != nil:
		errs = append(errs, fmt.Errorf("doctor: origin %q has more than scheme, host and port", cfg.Origin))
	}
	target, err := url.Parse(cfg.URL)
	if err != nil || !target.IsAbs() || (target.Scheme != "http" && target.Scheme != "https") {
		errs = append(errs, fmt.Errorf("doctor: URL %q is not an absolute http(s) URL", cfg.URL))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	rt := cfg.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		rt = t
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	rel, _ := relate(o, target)
	p := &prober{
		cfg: cfg,
		client: &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		origin:    o,
		target:    target,
		now:       now,
		report:    &Report{Origin: originString(o), URL: target.String(), Relation: rel.String()},
		seen:      map[string]int{},
		seenUnder: map[string]bool{},
		blocked:   -1,
		causes:    map[problem.ID]int{},
	}
	return p, nil
}

// add records a finding once: the same rule with the same evidence is reported at
// its first step only. A finding that follows from another (a refused preflight
// before it in the same fetch, or a CORS refusal of the same rule) is folded
// under that one as a consequence.
func (p *prober) add(step string, u *url.URL, pr *problem.Problem, evidence string) {
	f := Finding{
		Rule: pr.Rule, Severity: pr.Severity, Step: step, URL: u.String(),
		Evidence: evidence, Detail: pr.Detail, Fix: pr.Fix,
	}
	key := string(pr.Rule) + "\x00" + evidence + "\x00" + pr.Detail
	if i, ok := p.seen[key]; ok && i >= 0 { // reported already, as a root
		p.lastRoot = i
		return
	}
	root := p.blocked
	if i, ok := p.causes[pr.Rule]; ok {
		root = i
	}
	if root >= 0 {
		p.lastRoot = root
		p.seen[key] = -1 // seen as a consequence only: a later root may still report it
		k := strconv.Itoa(root) + "\x00" + key
		if p.seenUnder[k] {
			return
		}
		p.seenUnder[k] = true
		r := &p.report.Findings[root]
		r.Consequences = append(r.Consequences, f)
		return
	}
	p.seen[key] = len(p.report.Findings)
	p.lastRoot = len(p.report.Findings)
	p.report.Findings = append(p.report.Findings, f)
}

// addCause records the root finding of a CORS refusal, or folds it under the
// one already found for the same rule.
func (p *prober) addCause(step string, u *url.URL, pr *problem.Problem, evidence string) {
	if _, ok := p.causes[pr.Rule]; ok {
		p.add(step, u, pr, evidence)
		return
	}
	saved := p.blocked
	p.blocked = -1
	p.add(step, u, pr, evidence)
	p.blocked = saved
	p.causes[pr.Rule] = p.lastRoot
	p.report.Findings[p.lastRoot].Refusal = true
}

// fetch performs one fetch(url, {method, headers, body, credentials: 'include'})
// from the origin: the preflight when one is needed, the request, and each redirect
// hop. It returns the number of Set-Cookie lines received.
func (p *prober) fetch(ctx context.Context, step, method string, u *url.URL, h http.Header, body string) (int, error) {
	from := originString(p.origin)
	rel, _ := relate(p.origin, u)
	h = cloneHeader(h)
	for k := range h {
		if forbiddenRequestHeader(k) { // a page cannot set these; the browser does
			delete(h, k)
		}
	}
	unsafe := unsafeHeaders(h)
	p.blocked = -1
	if rel != origin.SameOrigin && (!safelistedMethod(method) || len(unsafe) > 0) {
		before := len(p.report.Findings)
		ok, err := p.preflight(ctx, step+" preflight", method, u, unsafe, from)
		if err != nil {
			return 0, err
		}
		if !ok {
			// A browser stops here. The probe goes on, to see more, but what
			// it finds in this fetch follows from the refused preflight: it is
			// folded under the preflight's finding.
			p.blocked = p.lastRoot
			if len(p.report.Findings) > before {
				p.blocked = before
			}
		}
	}
	setCookies := 0
	tainted := false
	current := u
	for hop := 0; ; hop++ {
		if hop > maxRedirects {
			return setCookies, fmt.Errorf("doctor: more than %d redirects from %s", maxRedirects, u)
		}
		rel, _ := relate(p.origin, current)
		req, err := http.NewRequestWithContext(ctx, method, current.String(), strings.NewReader(body))
		if err != nil {
			return setCookies, fmt.Errorf("doctor: %w", err)
		}
		if body == "" {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		for k, vs := range h {
			req.Header[k] = slices.Clone(vs)
		}
		if req.Header.Get("Accept") == "" {
			req.Header.Set("Accept", "*/*")
		}
		req.Header.Set("User-Agent", "sesame-doctor (behaving as a browser)")
		sentOrigin := from
		if tainted {
			sentOrigin = "null"
		}
		// Browsers send Origin on every CORS request and on same-origin requests
		// other than GET and HEAD.
		if rel != origin.SameOrigin || (method != http.MethodGet && method != http.MethodHead) {
			req.Header.Set("Origin", sentOrigin)
		}
		setFetchMetadata(req.Header, rel)
		if c := p.jar.header(current, rel, p.now()); c != "" {
			req.Header.Set("Cookie", c)
		}
		resp, err := p.client.Do(req)
		if err != nil {
			return setCookies, fmt.Errorf("doctor: %s %s: %w", method, current, err)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		p.lastStatus = resp.StatusCode

		ex := Exchange{Step: step, Method: method, URL: current.String(), Request: req.Header.Clone(), Status: resp.StatusCode, Response: resp.Header.Clone()}
		// The browser processes Set-Cookie at the network layer, before CORS, and
		// on redirects too (the e2e notes confirm it for a failed CORS check).
		lines := resp.Header.Values("Set-Cookie")
		setCookies += len(lines)
		for _, line := range lines {
			if name, ok := p.evaluateCookie(step, current, line); ok {
				ex.Stored = append(ex.Stored, name)
			}
		}
		if rel != origin.SameOrigin {
			// Fetch applies the CORS check to every hop, redirects included.
			at := step
			if isRedirect(resp.StatusCode) {
				at += " (redirect)"
			}
			ex.Blocked = !p.checkResponse(at, current, resp.Header, sentOrigin)
		}
		ex.Unsent = p.blocked >= 0
		p.report.Exchanges = append(p.report.Exchanges, ex)

		loc := resp.Header.Get("Location")
		if !isRedirect(resp.StatusCode) || loc == "" {
			return setCookies, nil
		}
		next, err := current.Parse(loc)
		if err != nil {
			return setCookies, fmt.Errorf("doctor: bad Location %q from %s: %w", loc, current, err)
		}
		// Fetch, HTTP-redirect fetch: 303, and 301/302 after POST, become GET
		// without a body; a cross-origin hop from a cross-origin request taints
		// the origin (Origin: null).
		if resp.StatusCode == http.StatusSeeOther && method != http.MethodHead ||
			(resp.StatusCode == 301 || resp.StatusCode == 302) && method == http.MethodPost {
			method, body = http.MethodGet, ""
			h.Del("Content-Type")
		}
		if !sameOrigin(current, next) && originString(current) != sentOrigin {
			tainted = true
		}
		current = next
	}
}

// preflight sends the CORS-preflight request and judges the answer. It reports
// whether a browser would go on to send the request.
func (p *prober) preflight(ctx context.Context, step, method string, u *url.URL, unsafe []string, origin string) (bool, error) {
	req, resp, err := p.sendPreflight(ctx, u, origin, method, unsafe)
	if err != nil {
		return false, err
	}
	at := len(p.report.Exchanges)
	ok := p.checkPreflight(ctx, step, u, resp, origin, method, unsafe)
	// The preflight comes before the diagnosis it may have caused.
	p.report.Exchanges = slices.Insert(p.report.Exchanges, at, Exchange{
		Step: step, Method: http.MethodOptions, URL: u.String(), Request: req.Header.Clone(),
		Status: resp.StatusCode, Response: resp.Header.Clone(), Blocked: !ok,
	})
	return ok, nil
}

// evaluateCookie judges one Set-Cookie line and keeps the cookie when browsers
// would. It returns the cookie's name and whether it was stored.
func (p *prober) evaluateCookie(step string, u *url.URL, line string) (string, bool) {
	evidence := "Set-Cookie: " + line
	c, err := ParseSetCookie(line)
	if err != nil {
		rule := problem.CookieTooLarge // the only parse failure a server commonly causes is size or bytes
		p.add(step, u, problem.NewError(rule, "browsers ignore this Set-Cookie: "+err.Error(), ""), evidence)
		return "", false
	}
	v := EvaluateSetCookie(c, CookieContext{URL: u, Origin: p.origin, Now: p.now()})
	for _, pr := range v.Problems {
		p.add(step, u, pr, evidence)
	}
	if !v.Stored {
		return c.Name, false
	}
	p.jar.store(c, u, p.now())
	return c.Name, true
}

// setFetchMetadata sets the Fetch Metadata request headers of a fetch() from a
// page (W3C Fetch Metadata Request Headers).
func setFetchMetadata(h http.Header, rel origin.Relation) {
	h.Set("Sec-Fetch-Site", rel.String())
	h.Set("Sec-Fetch-Mode", "cors")
	h.Set("Sec-Fetch-Dest", "empty")
}

// forbiddenRequestHeader: names a page's script cannot set (Fetch, "forbidden
// request-header"), so a --header with one of them would not reach the server.
func forbiddenRequestHeader(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "sec-") || strings.HasPrefix(n, "proxy-") {
		return true
	}
	switch n {
	case "origin", "cookie", "cookie2", "host", "referer", "connection", "content-length",
		"access-control-request-method", "access-control-request-headers", "user-agent":
		return true
	}
	return false
}

func isRedirect(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h.Clone()
}

func sortStrings(s []string) { slices.Sort(s) }
