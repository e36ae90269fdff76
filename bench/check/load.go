package check

import (
	"github.com/sesame-go/sesame/bench/contestant"
)

// A Load is one request shape the load generator repeats against a contestant.
type Load struct {
	Contestant string            // e.g. "sesame-mem"
	Endpoint   string            // "bare", "read", "write", "preflight", "actual", "xo-write"
	Method     string            // HTTP method
	Path       string            // request path
	Header     map[string]string // request headers besides Cookie
	// Cookies says the request carries a session cookie, picked at random from
	// the contestant's cookie file.
	Cookies bool
}

// Bare is the reference load of a server.
func Bare(server string) Load {
	return Load{Contestant: server, Endpoint: "bare", Method: "GET", Path: "/bare"}
}

// Loads returns the loads of a contestant of the given kind.
func Loads(name string, kind contestant.Kind) []Load {
	p := "/" + name + "/"
	switch kind {
	case contestant.Session, contestant.Floor:
		return []Load{
			{Contestant: name, Endpoint: "read", Method: "GET", Path: p + "read", Cookies: true},
			{Contestant: name, Endpoint: "write", Method: "POST", Path: p + "write", Cookies: true},
		}
	case contestant.CORS:
		return []Load{
			{Contestant: name, Endpoint: "preflight", Method: "OPTIONS", Path: p + "api", Header: map[string]string{
				"Origin":                         contestant.Origin,
				"Access-Control-Request-Method":  "PUT",
				"Access-Control-Request-Headers": "content-type",
			}},
			{Contestant: name, Endpoint: "actual", Method: "GET", Path: p + "api", Header: map[string]string{
				"Origin": contestant.Origin,
			}},
		}
	case contestant.CSRF:
		return []Load{
			{Contestant: name, Endpoint: "xo-write", Method: "POST", Path: p + "api", Header: map[string]string{
				"Origin":         contestant.Origin,
				"Sec-Fetch-Site": "cross-site",
			}},
		}
	}
	return nil
}

// Express lists the Express contestants (served by bench/express/server.js)
// with their kinds.
var Express = []contestant.Contestant{
	{Name: "express-mem", Kind: contestant.Session, Label: "Express 5 + express-session, MemoryStore"},
	{Name: "express-redis", Kind: contestant.Session, Label: "Express 5 + express-session, connect-redis", Redis: true},
	{Name: "express-cors", Kind: contestant.CORS, Label: "Express 5 + cors"},
}
