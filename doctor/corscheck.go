package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// maxPreflightCache is Chromium's cap on Access-Control-Max-Age (Firefox caps at
// 86400): a larger value is silently lowered.
const maxPreflightCache = 7200

// headerLines renders every field line of a header as received ("Name: value"),
// joined by newlines: the evidence a finding quotes.
func headerLines(h http.Header, name string) string {
	vals := h.Values(name)
	lines := make([]string, len(vals))
	for i, v := range vals {
		lines[i] = name + ": " + v
	}
	return strings.Join(lines, "\n")
}

// listValues splits every field line of a list-valued header on commas, trimmed,
// empty members dropped.
func listValues(h http.Header, name string) []string {
	var out []string
	for _, line := range h.Values(name) {
		for v := range strings.SplitSeq(line, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func absent(name string) string { return "(no " + name + " header)" }

func statusLine(resp *http.Response) string { return resp.Proto + " " + resp.Status }

// checkAllowOrigin is the CORS check's origin half (Fetch, "CORS check"): with
// credentials the response must carry exactly one Access-Control-Allow-Origin,
// equal to the request's Origin. It reports whether the check passed.
func (p *prober) checkAllowOrigin(step string, u *url.URL, h http.Header, origin string) bool {
	const name = "Access-Control-Allow-Origin"
	vals := listValues(h, name)
	switch {
	case len(vals) == 0:
		p.add(step, u, problem.NewError(problem.OriginMismatch,
			fmt.Sprintf("the response has no %s, so the browser hides it from %s", name, origin),
			"allow "+origin+" with credentials in the API's CORS configuration"), absent(name))
		return false
	case len(vals) > 1:
		p.add(step, u, problem.NewError(problem.DuplicateCORS,
			fmt.Sprintf("%s has %d values (%s); browsers accept exactly one", name, len(vals), strings.Join(vals, ", ")), ""),
			headerLines(h, name))
		return false
	case vals[0] == "*":
		p.add(step, u, problem.NewError(problem.WildcardCredentials,
			fmt.Sprintf(`%s is "*" but the request carries credentials; the browser needs %q`, name, origin), ""),
			headerLines(h, name))
		return false
	case vals[0] != origin:
		detail := fmt.Sprintf("%s is %q but the request's Origin is %q", name, vals[0], origin)
		switch {
		case vals[0] == origin+"/" || strings.EqualFold(vals[0], origin) || strings.TrimSuffix(vals[0], ":443") == origin:
			detail += fmt.Sprintf(" (the configured origin is malformed, see %s: no trailing slash, default port or upper case)", problem.MalformedOrigin)
		case vals[0] == "null":
			detail += fmt.Sprintf(` ("null" must never be allowed, see %s)`, problem.NullOrigin)
		}
		p.add(step, u, problem.NewError(problem.OriginMismatch, detail, "answer with the request's exact origin: "+origin), headerLines(h, name))
		return false
	}
	return true
}

// checkAllowCredentials is the CORS check's credentials half: the header must be
// exactly "true" (case-sensitive).
func (p *prober) checkAllowCredentials(step string, u *url.URL, h http.Header) bool {
	const name = "Access-Control-Allow-Credentials"
	vals := h.Values(name)
	if len(vals) == 1 && vals[0] == "true" {
		return true
	}
	evidence := headerLines(h, name)
	if len(vals) == 0 {
		evidence = absent(name)
	}
	p.add(step, u, problem.NewError(problem.CredentialsDisabled,
		fmt.Sprintf(`%s must be exactly "true" for a request with credentials; it is %s`, name, quoteOrNothing(vals)), ""),
		evidence)
	return false
}

func quoteOrNothing(vals []string) string {
	if len(vals) == 0 {
		return "absent"
	}
	return strconv.Quote(strings.Join(vals, ", "))
}

// checkResponse applies the CORS check to a credentialed response and the rules a
// browser does not enforce but that break deployments (Vary, exposed Set-Cookie,
// http: front ends). It reports whether JavaScript may read the response.
func (p *prober) checkResponse(step string, u *url.URL, h http.Header, origin string) bool {
	okOrigin := p.checkAllowOrigin(step, u, h, origin)
	okCred := true
	// Without any CORS answer the credentials header is noise: SES035 says it all.
	if len(h.Values("Access-Control-Allow-Origin")) > 0 {
		okCred = p.checkAllowCredentials(step, u, h)
	}
	if okOrigin && !varies(h, "Origin") {
		p.add(step, u, problem.NewWarning(problem.MissingVaryOrigin,
			"Access-Control-Allow-Origin echoes the request's Origin but the response has no Vary: Origin, so a cache may serve it to another origin",
			"add Vary: Origin to every response whose CORS headers depend on Origin"),
			orAbsent(h, "Vary"))
	}
	for _, v := range listValues(h, "Access-Control-Expose-Headers") {
		switch {
		case strings.EqualFold(v, "Set-Cookie") || strings.EqualFold(v, "Set-Cookie2"):
			p.add(step, u, problem.NewWarning(problem.ExposeSetCookie,
				"Access-Control-Expose-Headers lists Set-Cookie, a forbidden response header: JavaScript can never read it, and the browser stores the cookie without it",
				"remove set-cookie from the exposed headers"),
				headerLines(h, "Access-Control-Expose-Headers"))
		case v == "*":
			p.add(step, u, problem.NewWarning(problem.WildcardHeaders,
				`Access-Control-Expose-Headers is "*", which exposes nothing on a credentialed response (it names a header called "*")`,
				"list the headers to expose by name"),
				headerLines(h, "Access-Control-Expose-Headers"))
		}
	}
	if okOrigin && okCred {
		if o, err := url.Parse(origin); err == nil && o.Scheme == "http" && !isLoopback(hostOf(o)) {
			p.add(step, u, problem.NewWarning(problem.InsecureOrigin,
				fmt.Sprintf("the API grants credentialed access to %s, an http: origin that anyone on the network path can impersonate", origin),
				"serve the front end over https and allow only its https origin"),
				headerLines(h, "Access-Control-Allow-Origin"))
		}
	}
	return okOrigin && okCred
}

func orAbsent(h http.Header, name string) string {
	if l := headerLines(h, name); l != "" {
		return l
	}
	return absent(name)
}

func varies(h http.Header, name string) bool {
	for _, v := range listValues(h, "Vary") {
		if v == "*" || strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}

// checkPreflight applies the CORS-preflight fetch's checks (Fetch, "CORS-preflight
// fetch"): an ok status, no redirect, the CORS check, then the method and every
// requested header allowed. It reports whether the browser would go on to send the
// request.
func (p *prober) checkPreflight(ctx context.Context, step string, u *url.URL, resp *http.Response, origin, method string, headers []string) bool {
	h := resp.Header
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		ev := statusLine(resp)
		if loc := h.Get("Location"); loc != "" {
			ev += "\nLocation: " + loc
		}
		p.add(step, u, problem.NewError(problem.PreflightRedirect,
			fmt.Sprintf("the preflight (OPTIONS %s) was answered with a redirect; browsers never follow one for a preflight", u), "call the final URL, or let OPTIONS reach the CORS layer without a redirect"),
			ev)
		return false
	}
	granted := slices.Equal(listValues(h, "Access-Control-Allow-Origin"), []string{origin})
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		switch {
		case corsAnswered(h) && !granted:
			// A CORS layer refused (sesame answers 403 with Vary): say why.
			p.refusal(ctx, step, u, resp, origin, method, headers)
		case granted:
			p.add(step, u, problem.NewError(problem.PreflightNotReached,
				fmt.Sprintf("the preflight (OPTIONS %s) was answered %d with this origin allowed: the CORS layer added its headers but passed the preflight on to the router instead of answering it", u, resp.StatusCode),
				"let the CORS layer answer preflights itself (with an ok status), before routing and authentication"),
				statusLine(resp)+"\n"+headerLines(h, "Access-Control-Allow-Origin"))
		default:
			p.add(step, u, problem.NewError(problem.PreflightNotReached,
				fmt.Sprintf("the preflight (OPTIONS %s) was answered %d: something before the CORS layer (a method-specific route, authentication) answered it", u, resp.StatusCode), ""),
				statusLine(resp))
		}
		return false
	}
	if !hasAnyCORS(h) {
		if corsAnswered(h) {
			// An ok status, Vary: Origin and no allowance: a CORS layer that
			// refuses with 204 (as rs/cors does).
			p.refusal(ctx, step, u, resp, origin, method, headers)
			return false
		}
		ev := statusLine(resp)
		if a := headerLines(h, "Allow"); a != "" {
			ev += "\n" + a
		}
		p.add(step, u, problem.NewError(problem.PreflightNotReached,
			fmt.Sprintf("the preflight (OPTIONS %s) was answered %d without any Access-Control-Allow-* header: the router answered OPTIONS itself, the CORS layer never saw it", u, resp.StatusCode), ""),
			ev)
		return false
	}
	ok := p.checkAllowOrigin(step, u, h, origin)
	ok = p.checkAllowCredentials(step, u, h) && ok

	if !safelistedMethod(method) {
		allowed := false
		star := false
		for _, m := range listValues(h, "Access-Control-Allow-Methods") {
			if m == method {
				allowed = true
			}
			star = star || m == "*"
		}
		if !allowed {
			detail := fmt.Sprintf("the preflight does not allow method %s", method)
			if star {
				detail += `; "*" is not a wildcard for a request with credentials`
			}
			p.add(step, u, problem.NewError(problem.PreflightDenied, detail, "add "+method+" to the allowed methods"), orAbsent(h, "Access-Control-Allow-Methods"))
			ok = false
		}
	}
	allowedHeaders := map[string]bool{}
	star := false
	for _, v := range listValues(h, "Access-Control-Allow-Headers") {
		allowedHeaders[strings.ToLower(v)] = true
		star = star || v == "*"
	}
	var denied []string
	for _, name := range headers {
		if !allowedHeaders[name] {
			denied = append(denied, name)
		}
	}
	if len(denied) > 0 {
		detail := fmt.Sprintf("the preflight does not allow request header %s", strings.Join(denied, ", "))
		if star {
			detail += `; "*" is not a wildcard for a request with credentials`
		}
		p.add(step, u, problem.NewError(problem.PreflightDenied, detail, "add "+strings.Join(denied, ", ")+" to the allowed headers"), orAbsent(h, "Access-Control-Allow-Headers"))
		ok = false
	}
	if star {
		p.add(step, u, problem.NewWarning(problem.WildcardHeaders,
			`Access-Control-Allow-Headers contains "*", which is the literal header name "*" for a request with credentials`,
			"list the allowed headers by name"),
			headerLines(h, "Access-Control-Allow-Headers"))
	}
	if v := h.Get("Access-Control-Max-Age"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > maxPreflightCache {
			p.add(step, u, problem.NewWarning(problem.MaxAgeCapped,
				fmt.Sprintf("Access-Control-Max-Age is %d seconds; Chromium caches a preflight for at most %d, Firefox for at most 86400", n, maxPreflightCache), "use 7200 or less"),
				headerLines(h, "Access-Control-Max-Age"))
		}
	}
	return ok
}

func hasAnyCORS(h http.Header) bool {
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-Allow-") {
			return true
		}
	}
	return false
}

// safelistedMethod: GET, HEAD and POST never need to be allowed by a preflight
// (Fetch, "CORS-safelisted method").
func safelistedMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "POST" }

// unsafeHeaders returns the lower-cased names of the request headers that make a
// preflight necessary (Fetch, "CORS-unsafe request-header names"), sorted and
// unique, as browsers send them in Access-Control-Request-Headers.
func unsafeHeaders(h http.Header) []string {
	var names []string
	for k, vals := range h {
		name := strings.ToLower(k)
		if safelistedHeader(name, vals) {
			continue
		}
		names = append(names, name)
	}
	sortStrings(names)
	return names
}

func safelistedHeader(name string, vals []string) bool {
	if len(vals) != 1 || len(vals[0]) > 128 {
		return false
	}
	switch name {
	case "accept", "accept-language", "content-language":
		return true
	case "content-type":
		essence, _, _ := strings.Cut(vals[0], ";")
		switch strings.ToLower(strings.TrimSpace(essence)) {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
			return true
		}
	}
	return false
}
