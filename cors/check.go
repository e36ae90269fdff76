package cors

import (
	"fmt"
	"net/http"

	"github.com/sesame-go/sesame/cors/internal/acrh"
	"github.com/sesame-go/sesame/problem"
)

// IsPreflight reports whether r is a CORS preflight: OPTIONS with Origin and
// Access-Control-Request-Method (Fetch §4.8). An OPTIONS request without them is
// an ordinary request for the application.
func IsPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && len(r.Header[hOrigin]) > 0 && len(r.Header[hACRM]) > 0
}

// Check decides whether r gets CORS access. It returns nil for a request without
// Origin (not a CORS request), for an allowed origin, and for a preflight that
// asks only for allowed methods and headers; otherwise a *problem.Problem naming
// the rule: SES035 for an origin not on the list, SES011 for a method or header
// the policy does not allow. Check does not allocate when it returns nil.
func (c *CORS) Check(r *http.Request) error {
	if IsPreflight(r) {
		if p := c.checkPreflight(r.Header[hOrigin], r.Header[hACRM], r.Header[hACRH]); p != nil {
			return p
		}
		return nil
	}
	if o := r.Header[hOrigin]; len(o) > 0 && !c.allowsOrigin(o) {
		return c.originProblem(o)
	}
	return nil
}

// allowsOrigin takes the Origin header lines: a browser sends exactly one (Fetch
// §3.1, "append a request Origin header").
func (c *CORS) allowsOrigin(o []string) bool {
	return len(o) == 1 && c.origins.Allows(o[0])
}

func (c *CORS) originProblem(o []string) *problem.Problem {
	if len(o) != 1 {
		return problem.NewError(problem.OriginMismatch,
			fmt.Sprintf("request has %d Origin headers; a browser sends one", len(o)), "")
	}
	return problem.NewError(problem.OriginMismatch,
		fmt.Sprintf("origin %q is not in the CORS allowlist", o[0]),
		"if this is your front end, add its origin exactly as the browser sends it to "+c.name("Origins"))
}

// checkPreflight checks a preflight's Origin, Access-Control-Request-Method and
// Access-Control-Request-Headers lines; m is not empty.
func (c *CORS) checkPreflight(o, m, rh []string) *problem.Problem {
	if !c.allowsOrigin(o) {
		return c.originProblem(o)
	}
	if len(m) != 1 || !c.allowsMethod(m[0]) {
		return problem.NewError(problem.PreflightDenied,
			fmt.Sprintf("preflight asks for method %q, which is not allowed", m[0]),
			"add it to "+c.name("Methods"))
	}
	if res, name := acrh.Scan(rh, c.allowsHeader); res != acrh.OK {
		var detail, fix string
		switch res {
		case acrh.Refused:
			detail = fmt.Sprintf("preflight asks for request header %q, which is not allowed", name)
			fix = "add it to " + c.name("RequestHeaders") + ", or stop sending it from the front end"
		case acrh.Malformed:
			detail = fmt.Sprintf("preflight asks for %q, which is not a header name", name)
		default:
			detail = fmt.Sprintf("Access-Control-Request-Headers is over %d bytes or %d elements", acrh.MaxBytes, acrh.MaxElements)
		}
		return problem.NewError(problem.PreflightDenied, detail, fix)
	}
	return nil
}

func (c *CORS) allowsMethod(m string) bool {
	if c.anyMethod {
		return true
	}
	_, ok := c.methods[m]
	return ok
}

// allowsHeader looks name up case-insensitively without allocating: browsers send
// lower-case names, which are looked up as they are; others are lower-cased into
// a stack buffer first. A short list is compared name by name, a long one
// looked up in the map.
func (c *CORS) allowsHeader(name string) bool {
	if c.anyHeader {
		return true
	}
	if len(name) > c.maxHeaderLen {
		return false
	}
	if c.headerList != nil {
		for _, h := range c.headerList {
			if h == name {
				return true
			}
		}
	}
	for i := 0; i < len(name); i++ {
		if b := name[i]; 'A' <= b && b <= 'Z' {
			var buf [maxNameLen]byte
			n := copy(buf[:], name)
			for j := range n {
				if b := buf[j]; 'A' <= b && b <= 'Z' {
					buf[j] = b + ('a' - 'A')
				}
			}
			_, ok := c.headers[string(buf[:n])]
			return ok
		}
	}
	_, ok := c.headers[name]
	return ok
}
