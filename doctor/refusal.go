package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// debugHeader is where sesame's CORS stage, in development mode, says why it
// refused a preflight ("SES035: origin … is not in the CORS allowlist; fix: …").
// The prober reads it from any backend; only sesame sends it.
const debugHeader = "Sesame-Cors-Error"

// corsAnswered reports whether a CORS layer answered a preflight that got no
// allowance: it left its mark (Vary naming Origin or a request header of the
// preflight, an Access-Control-Allow-* header, or sesame's debug header). A
// router that answers OPTIONS itself, or authentication in front of CORS, leaves
// none of them. A CORS layer varies on Origin even when it refuses (Fetch §3.2.5,
// CORS protocol and HTTP caches), which is what tells a refusal from a preflight
// that never reached one.
func corsAnswered(h http.Header) bool {
	if h.Get(debugHeader) != "" || hasAnyCORS(h) {
		return true
	}
	for _, v := range listValues(h, "Vary") {
		switch strings.ToLower(v) {
		case "origin", "access-control-request-method", "access-control-request-headers":
			return true
		}
	}
	return false
}

// parseDebugHeader reads a problem.Problem's Error() form back: "SES035: detail;
// fix: fix", the rule possibly followed by " (warning)". ok is false when the
// value does not start with a rule id.
func parseDebugHeader(v string) (id problem.ID, detail, fix string, ok bool) {
	head, rest, found := strings.Cut(v, ": ")
	head = strings.TrimSuffix(head, " (warning)")
	if !found || len(head) != 6 || !strings.HasPrefix(head, "SES") || strings.Trim(head[3:], "0123456789") != "" {
		return "", "", "", false
	}
	detail, fix, _ = strings.Cut(rest, "; fix: ")
	return problem.ID(head), detail, fix, true
}

// refusal reports a preflight that a CORS layer answered without the allowance
// asked for (no Access-Control-Allow-Origin for this origin, a 403, or a 204
// without the method or headers). The cause is the origin, the method or one of
// the headers: sesame in development mode names it in Sesame-Cors-Error;
// otherwise the prober asks again, one thing at a time, with preflights that
// change nothing on the server, and reports what the CORS layer refuses.
func (p *prober) refusal(ctx context.Context, step string, u *url.URL, resp *http.Response, origin, method string, headers []string) {
	h := resp.Header
	ev := statusLine(resp)
	for _, name := range []string{"Vary", debugHeader} {
		if l := headerLines(h, name); l != "" {
			ev += "\n" + l
		}
	}
	if id, detail, fix, ok := parseDebugHeader(h.Get(debugHeader)); ok {
		if id == problem.OriginMismatch || id == problem.PreflightDenied {
			p.addCause(step, u, problem.NewError(id, "the CORS layer refused the preflight: "+detail, fix), ev)
			return
		}
	}
	// Ask again, one thing at a time. An error (the server went away) leaves
	// the thing unjudged: the probe reports only what it saw refused.
	ask := func(m string, hs []string) grant {
		g, err := p.askPreflight(ctx, step, u, origin, m, hs)
		if err != nil {
			return grant{origin: true, method: true, headers: true}
		}
		return g
	}
	if !ask(http.MethodGet, nil).origin {
		p.addCause(step, u, problem.NewError(problem.OriginMismatch,
			fmt.Sprintf("the CORS layer answered the preflight (OPTIONS %s) %d without Access-Control-Allow-Origin, and refuses %s even a GET without extra headers: the origin is not in its allowlist", u, resp.StatusCode, origin),
			"if "+origin+" is your front end, add it to the API's allowed origins exactly as the browser sends it (with sesame: Config.FrontendOrigins)"), ev)
		return
	}
	if !safelistedMethod(method) && !ask(method, nil).method {
		p.addCause(step, u, problem.NewError(problem.PreflightDenied,
			fmt.Sprintf("the CORS layer answered the preflight (OPTIONS %s) %d without allowing method %s; the origin itself is allowed", u, resp.StatusCode, method),
			"add "+method+" to the API's allowed methods (with sesame: Config.AllowMethods)"), ev)
		return
	}
	var denied []string
	for _, name := range headers {
		if !ask(method, []string{name}).headers {
			denied = append(denied, name)
		}
	}
	detail := fmt.Sprintf("the CORS layer answered the preflight (OPTIONS %s) %d without allowing request header %s; the origin and the method are allowed", u, resp.StatusCode, strings.Join(denied, ", "))
	fix := "add " + strings.Join(denied, ", ") + " to the API's allowed request headers (with sesame: Config.AllowHeaders), or stop sending it from the front end"
	if len(denied) == 0 {
		detail = fmt.Sprintf("the CORS layer answered the preflight (OPTIONS %s) %d without the allowance asked for (method %s, headers %s), though it allows each of them alone", u, resp.StatusCode, method, strings.Join(headers, ", "))
		fix = ""
	}
	p.addCause(step, u, problem.NewError(problem.PreflightDenied, detail, fix), ev)
}

// A grant is what a CORS layer allowed in answer to one preflight.
type grant struct {
	origin  bool // Access-Control-Allow-Origin is exactly the request's origin
	method  bool // the method is safelisted or in Access-Control-Allow-Methods
	headers bool // every header asked for is in Access-Control-Allow-Headers
}

// askPreflight sends one diagnostic preflight and reports what the CORS layer
// granted. The exchange is recorded; nothing is reported.
func (p *prober) askPreflight(ctx context.Context, step string, u *url.URL, origin, method string, headers []string) (grant, error) {
	req, resp, err := p.sendPreflight(ctx, u, origin, method, headers)
	if err != nil {
		return grant{}, err
	}
	h := resp.Header
	g := grant{
		origin:  slices.Equal(listValues(h, "Access-Control-Allow-Origin"), []string{origin}),
		method:  safelistedMethod(method) || slices.Contains(listValues(h, "Access-Control-Allow-Methods"), method),
		headers: true,
	}
	allowed := listValues(h, "Access-Control-Allow-Headers")
	for _, name := range headers {
		if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, name) }) {
			g.headers = false
		}
	}
	p.report.Exchanges = append(p.report.Exchanges, Exchange{
		Step: step, Method: http.MethodOptions, URL: u.String(), Request: req.Header.Clone(),
		Status: resp.StatusCode, Response: resp.Header.Clone(), Diagnosis: true,
	})
	return g, nil
}

// sendPreflight sends the CORS-preflight request: OPTIONS, no credentials, the
// method and the unsafe header names announced. The body is read and closed.
func (p *prober) sendPreflight(ctx context.Context, u *url.URL, origin, method string, headers []string) (*http.Request, *http.Response, error) {
	rel, _ := relate(p.origin, u)
	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, u.String(), http.NoBody)
	if err != nil {
		return nil, nil, fmt.Errorf("doctor: %w", err)
	}
	req.Header.Set("Accept", "*/*")
	req.Header.Set("User-Agent", "sesame-doctor (behaving as a browser)")
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	if len(headers) > 0 {
		req.Header.Set("Access-Control-Request-Headers", strings.Join(headers, ","))
	}
	setFetchMetadata(req.Header, rel)
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("doctor: OPTIONS %s: %w", u, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return req, resp, nil
}
