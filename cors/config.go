package cors

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// Config describes which front ends may read the API's responses. New copies it;
// changing it afterwards has no effect.
type Config struct {
	// Origins lists the front ends allowed to call the API, in the form a browser
	// sends in Origin: exact origins ("https://app.example.com"), subdomain
	// patterns ("https://*.example.com": any depth of subdomain, not the apex
	// example.com itself), any-port patterns for development servers
	// ("http://localhost:*"), or "*" (every origin, refused with Credentials).
	// Default: none, so no request gets CORS access and the stage only adds
	// Vary: Origin.
	Origins []string

	// Credentials sends Access-Control-Allow-Credentials: true, which a
	// browser requires before it shows a script the response to a request made
	// with credentials: 'include' (fetch) or withCredentials (XHR, axios)
	// (Fetch §3.2.5). Sessions need it, and the sesame Stack sets it. Default
	// false: the zero Config is a non-credentialed CORS policy.
	Credentials bool

	// DangerouslyAllowInsecureOrigins accepts http: front ends other than
	// loopback together with Credentials (rule SES025). Anyone on the network
	// path of such a front end can inject script into it and use the user's
	// session. http://localhost, http://*.localhost, http://127.0.0.0/8 and
	// http://[::1] need no such option: browsers treat them as potentially
	// trustworthy (W3C Secure Contexts §3.1). Default false.
	DangerouslyAllowInsecureOrigins bool

	// Methods lists the methods front ends may use besides the CORS-safelisted
	// GET, HEAD and POST, which are always allowed (Fetch §2.2.1: browsers do
	// not preflight them). PUT, PATCH and DELETE must be listed. Names are
	// case-sensitive (RFC 9110 §9.1), except that DELETE, GET, HEAD, OPTIONS,
	// POST and PUT are normalised to upper case as browsers do (Fetch
	// "normalize a method"). "*" allows any method, but only without
	// Credentials (rule SES034). Default: GET, HEAD, POST.
	Methods []string

	// RequestHeaders lists the request headers front ends may send, by name,
	// case-insensitively. Content-Type is always allowed, since a JSON API
	// cannot be called without it, and the CORS-safelisted headers (Accept,
	// Accept-Language, Content-Language) need no listing. "*" allows any
	// header, but only without Credentials (SES034: with credentials a browser
	// reads "*" as a literal header name). Default: Content-Type only.
	RequestHeaders []string

	// ExposeHeaders lists the response headers scripts may read beyond the
	// CORS-safelisted ones (Cache-Control, Content-Language, Content-Length,
	// Content-Type, Expires, Last-Modified, Pragma). Set-Cookie is refused
	// (SES020): browsers never expose it (Fetch "forbidden response-header
	// name"). "*" only without Credentials (SES034). Default: none.
	ExposeHeaders []string

	// MaxAge is how long a browser may cache a successful preflight, sent in
	// whole seconds (rounded down) as Access-Control-Max-Age. Above 86400s
	// (Firefox's cap) New fails; above 7200s (Chromium's cap) it warns (rule
	// SES027), since Chromium silently uses 7200. Negative values are refused.
	// Default 0: the header is omitted and browsers cache for 5 seconds (Fetch
	// §4.8, CORS-preflight cache).
	MaxAge time.Duration

	// Debug puts the reason for a refused preflight in the 403 body and, for
	// every refusal, in the Sesame-Cors-Error response header, so a developer
	// sees it in the browser's network panel. It tells a caller what the
	// allowlist holds; leave it off in production. Default false.
	Debug bool

	// Logger receives per-request diagnostics, once per cause, each with a
	// "rule" attribute naming the doctor rule. New never logs: its warnings
	// are returned by Warnings.
	// Default: slog.Default().
	Logger *slog.Logger

	// OnRefuse, when set, is called once for each preflight the stage refuses
	// (answered 403), with the request and the rule that refused it (SES035 for
	// an origin not allowed, SES011 for a method or header not allowed, …),
	// before the answer is written. It must be safe for concurrent use and
	// should return quickly. An actual request from an origin not allowed is no
	// refusal: it reaches the handler and the browser hides the answer. The
	// sesame Stack sets it when its Observer is a sesame.RefusalObserver.
	// Default nil: nothing is called, at no cost.
	OnRefuse func(r *http.Request, rule problem.ID)

	// Fields renames this Config's fields in messages ("cors.Config.Methods")
	// to those of the configuration the user wrote; the sesame Stack sets it so
	// that messages name sesame.Config's fields. Default nil: messages name
	// cors.Config's.
	Fields problem.Fields
}
