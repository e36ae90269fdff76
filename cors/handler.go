package cors

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// Values every response shares (see one).
var (
	valTrue       = one("true")
	valStar       = one("*")
	valVaryOrigin = one("Origin")
	// Vary on a preflight names every request header the answer depends on.
	// On a refusal it is also the mark by which the doctor (and a person
	// reading the response) tells a CORS layer's refusal from a router's
	// answer.
	valVaryPreflight = one("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
)

// Handler returns h behind the CORS policy.
//
// A preflight is answered here and never reaches h: 204 with the CORS headers, or
// 403 with Vary naming Origin and the two request headers of the preflight (with
// the reason in the body when Debug is set). An allowed preflight carries only
// what the browser's CORS-preflight fetch reads (Fetch §4.8): the origin and
// credentials of the CORS check, the methods, the requested headers and the
// max-age, and Vary naming Origin and the two request headers, like a refusal:
// a response to OPTIONS is not cacheable (RFC 9110 §9.3.7) and the browser's
// preflight cache ignores Vary (Fetch, CORS-preflight cache), but a CDN
// configured to cache OPTIONS does exist, and rs/cors and jub0bs/cors send it
// too. It is one precomputed header value, no allocation. Every other request goes to
// h, with Access-Control-Allow-Origin (the request's origin, echoed exactly),
// Access-Control-Allow-Credentials and Access-Control-Expose-Headers when its
// origin is allowed, and with none of them when it is not: CORS is enforced by the
// browser, which hides the response; refusing writes is the CSRF stage's job.
// Vary: Origin is added to every response, allowed or not, with Origin or without,
// so a shared cache never serves one origin's answer to another (SES014).
//
// After h returns, the response headers are inspected (not wrapped, so nothing is
// allocated): a handler that set Access-Control-Allow-Origin itself (SES013) or
// replaced Vary (SES014) is logged once.
func (c *CORS) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// IsPreflight, with the two header lines kept for the answer: every
		// request header is looked up once.
		if r.Method == http.MethodOptions {
			if o, m := r.Header[hOrigin], r.Header[hACRM]; len(o) > 0 && len(m) > 0 {
				c.preflight(w, r, o, m)
				return
			}
		}
		c.actual(w, r, h)
	})
}

// preflight answers a preflight whose Origin and Access-Control-Request-Method
// lines are o and m.
//
// An allowed preflight's answer is what the CORS-preflight fetch (Fetch §4.8)
// reads, and nothing else: Access-Control-Allow-Origin and, with credentials,
// Access-Control-Allow-Credentials (Fetch, CORS check), the methods
// (Access-Control-Allow-Methods: the safelisted ones too, which the browser needs
// no listing for, so that its preflight cache also covers the requests that must
// be preflighted whatever their method), the requested headers
// (Access-Control-Allow-Headers) and Access-Control-Max-Age when set, with the
// Vary every preflight answer carries (see Handler).
func (c *CORS) preflight(w http.ResponseWriter, r *http.Request, o, m []string) {
	hdr := w.Header()
	rh := r.Header[hACRH]
	if v := hdr[hVary]; len(v) == 0 {
		hdr[hVary] = valVaryPreflight
	} else {
		hdr[hVary] = append(v, valVaryPreflight[0])
	}
	if err := c.checkPreflight(o, m, rh); err != nil {
		c.deny(w, r, err)
		return
	}
	hdr[hACAO] = c.acao(o)
	if c.credentials {
		hdr[hACAC] = valTrue
	}
	hdr[hACAM] = c.acam
	if len(rh) > 0 {
		// Every requested name was checked: echo them as sent, so the answer
		// fits this request whatever the casing or splitting of the lines.
		hdr[hACAH] = rh
	}
	if c.acma != nil {
		hdr[hACMA] = c.acma
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *CORS) acao(origin []string) []string {
	if c.origins.Any() && !c.credentials {
		return valStar
	}
	return origin[:1:1]
}

func (c *CORS) deny(w http.ResponseWriter, r *http.Request, p *problem.Problem) {
	if c.onRefuse != nil {
		c.onRefuse(r, p.Rule)
	}
	key := r.Header.Get(hOrigin)
	if p.Rule == problem.PreflightDenied {
		key = p.Detail
	}
	c.log.Note(p.Rule, key, "cors: preflight refused",
		slog.String("detail", p.Detail), slog.String("fix", p.Fix))
	if !c.debug {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	hdr := w.Header()
	hdr.Set(DebugHeader, p.Error())
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte("CORS preflight refused: " + p.Error() + "\n"))
}

func (c *CORS) actual(w http.ResponseWriter, r *http.Request, h http.Handler) {
	hdr := w.Header()
	if len(hdr[hACAO]) > 0 {
		c.log.Note(problem.DuplicateCORS, "outer", "cors: Access-Control-Allow-Origin was set before the CORS stage ran (by an outer middleware or proxy code); browsers reject a response with two",
			slog.String("fix", "let one layer answer CORS: remove the other CORS middleware or proxy rule"))
	}
	addVaryOrigin(hdr)
	o := r.Header[hOrigin]
	var set []string
	switch {
	case len(o) == 0:
	case c.allowsOrigin(o):
		set = c.acao(o)
		hdr[hACAO] = set
		if c.credentials {
			hdr[hACAC] = valTrue
		}
		if c.aceh != nil {
			hdr[hACEH] = c.aceh
		}
	case len(o) == 1 && r.Header.Get("Sec-Fetch-Site") == "same-origin":
		// Browsers send Origin on same-origin writes too; the API's own pages
		// need no CORS, so this is no mismatch to report.
	default:
		p := c.originProblem(o)
		c.log.Note(p.Rule, r.Header.Get(hOrigin), "cors: origin not allowed",
			slog.String("detail", p.Detail), slog.String("fix", p.Fix))
		if c.debug {
			hdr.Set(DebugHeader, p.Error())
		}
	}
	h.ServeHTTP(w, r)
	c.inspect(hdr, set)
}

// inspect looks at what the handler left in the response headers. It runs after
// the response may have been sent, so it only reports.
func (c *CORS) inspect(hdr http.Header, set []string) {
	got := hdr[hACAO]
	switch {
	case len(got) == 0 && set == nil:
	case len(got) != 1 || set == nil || &got[0] != &set[0]:
		c.log.Note(problem.DuplicateCORS, "handler", "cors: the handler set Access-Control-Allow-Origin itself; the CORS stage owns it and browsers reject duplicates",
			slog.Any("values", got), slog.String("fix", "remove the CORS code from the handler (or the second CORS middleware)"))
	}
	// The common case, Vary still the shared "Origin" line this stage set,
	// is told by identity; anything else is parsed (a handler that added a
	// field got a copy: one() caps the capacity).
	if v := hdr[hVary]; !(len(v) == 1 && &v[0] == &valVaryOrigin[0]) && !hasVaryOrigin(v) {
		c.log.Note(problem.MissingVaryOrigin, "handler", "cors: the handler replaced Vary and dropped Origin; a shared cache may serve one origin's response to another",
			slog.String("fix", "use Header().Add(\"Vary\", ...) instead of Set"))
	}
}

func addVaryOrigin(hdr http.Header) {
	v := hdr[hVary]
	switch {
	case len(v) == 0:
		hdr[hVary] = valVaryOrigin
	case !hasVaryOrigin(v):
		hdr[hVary] = append(v, "Origin")
	}
}

// hasVaryOrigin reports whether the Vary lines name Origin or are "*".
func hasVaryOrigin(lines []string) bool {
	for _, l := range lines {
		for l != "" {
			var f string
			f, l, _ = strings.Cut(l, ",")
			f = strings.TrimSpace(f)
			if f == "*" || strings.EqualFold(f, "Origin") {
				return true
			}
		}
	}
	return false
}
