package cors

import (
	"fmt"
	"strings"
	"time"

	"github.com/sesame-go/sesame/cors/internal/acrh"
	"github.com/sesame-go/sesame/problem"
)

// maxNameLen bounds configured header names, so a request name can be lower-cased
// into a stack buffer for the lookup.
const maxNameLen = 128

// Browser caps on Access-Control-Max-Age: Chromium 7200 s, Firefox 86400 s.
const (
	chromiumMaxAge = 7200 * time.Second
	firefoxMaxAge  = 86400 * time.Second
)

// safelistedMethods need no preflight (Fetch §2.2.1, CORS-safelisted method).
var safelistedMethods = []string{"GET", "HEAD", "POST"}

// normalisedMethods are upper-cased by browsers (Fetch, "normalize a method").
var normalisedMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

func (c *CORS) setMethods(list []string, errs *[]error) {
	c.methods = make(map[string]struct{}, len(list)+len(safelistedMethods))
	for _, m := range safelistedMethods {
		c.methods[m] = struct{}{}
	}
	var extra []string
	for _, m := range list {
		switch {
		case m == "*":
			if c.credentials {
				*errs = append(*errs, problem.NewError(problem.WildcardHeaders,
					c.name("Methods")+` has "*" with credentials: browsers read it as a method literally named "*" (Fetch §3.2.5)`,
					"list the methods, e.g. PUT, PATCH, DELETE"))
				continue
			}
			c.anyMethod = true
			continue
		case !acrh.IsToken(m):
			*errs = append(*errs, problem.NewError(problem.InvalidName,
				fmt.Sprintf("method %q is not an HTTP token (RFC 9110 §9.1)", m), "write the method name, e.g. \"PATCH\""))
			continue
		}
		switch u := strings.ToUpper(m); u {
		case "CONNECT", "TRACE", "TRACK":
			*errs = append(*errs, problem.NewError(problem.InvalidName,
				fmt.Sprintf("method %q is forbidden to scripts (Fetch §2.2.1): no front end can send it", m), "remove it"))
			continue
		}
		for _, n := range normalisedMethods {
			if strings.EqualFold(m, n) {
				m = n
			}
		}
		if _, dup := c.methods[m]; !dup {
			c.methods[m] = struct{}{}
			extra = append(extra, m)
		}
	}
	all := append(append([]string(nil), safelistedMethods...), extra...)
	if c.anyMethod {
		all = []string{"*"}
	}
	c.acam = one(strings.Join(all, ", "))
}

// forbiddenRequestHeaders cannot be set by scripts (Fetch §2.2.2), so allowing them
// is meaningless; Cookie is the usual mistake (cookies travel with
// credentials: 'include', not as a header the front end sets).
var forbiddenRequestHeaders = []string{
	"accept-charset", "accept-encoding", "access-control-request-headers",
	"access-control-request-method", "connection", "content-length", "cookie",
	"cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer",
	"set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
}

func (c *CORS) setRequestHeaders(list []string, errs *[]error) {
	c.headers = map[string]struct{}{"content-type": {}}
	// content-type first: the header nearly every preflight asks for.
	c.headerList = []string{"content-type"}
	c.maxHeaderLen = len("content-type")
	for _, h := range list {
		l := strings.ToLower(h)
		switch {
		case h == "*":
			if c.credentials {
				*errs = append(*errs, problem.NewError(problem.WildcardHeaders,
					c.name("RequestHeaders")+` has "*" with credentials: browsers read it as a header literally named "*" (Fetch §3.2.5)`,
					"list the headers the front end sends, e.g. \"Authorization\", \"X-Requested-With\""))
				continue
			}
			c.anyHeader = true
			continue
		case !acrh.IsToken(h) || len(h) > maxNameLen:
			*errs = append(*errs, problem.NewError(problem.InvalidName,
				fmt.Sprintf("request header %q is not a header name (an RFC 9110 token of at most %d bytes)", h, maxNameLen), "write the header's name"))
			continue
		case isForbiddenRequestHeader(l):
			fix := "remove it"
			if l == "cookie" {
				fix = "remove it: the browser sends cookies when the front end uses credentials: 'include' (fetch) or withCredentials (axios)"
			}
			*errs = append(*errs, problem.NewError(problem.InvalidName,
				fmt.Sprintf("request header %q is one scripts can never set (Fetch §2.2.2, forbidden request-header)", h), fix))
			continue
		}
		if _, dup := c.headers[l]; !dup {
			c.headers[l] = struct{}{}
			c.headerList = append(c.headerList, l)
		}
		c.maxHeaderLen = max(c.maxHeaderLen, len(l))
	}
	if len(c.headers) > maxHeaderList {
		c.headerList = nil
	}
}

// maxHeaderList is the most allowed request headers compared one by one
// instead of looked up in a map: fewer string comparisons than the hashing of
// one lookup costs.
const maxHeaderList = 8

func isForbiddenRequestHeader(l string) bool {
	if strings.HasPrefix(l, "proxy-") || strings.HasPrefix(l, "sec-") {
		return true
	}
	for _, f := range forbiddenRequestHeaders {
		if l == f {
			return true
		}
	}
	return false
}

func (c *CORS) setExposeHeaders(list []string, errs *[]error) {
	var names []string
	seen := map[string]bool{}
	for _, h := range list {
		l := strings.ToLower(h)
		switch {
		case h == "*":
			if c.credentials {
				*errs = append(*errs, problem.NewError(problem.WildcardHeaders,
					c.name("ExposeHeaders")+` has "*" with credentials: browsers read it as a header literally named "*" (Fetch §3.2.5)`,
					"list the response headers scripts must read"))
				continue
			}
		case l == "set-cookie" || l == "set-cookie2":
			*errs = append(*errs, problem.NewError(problem.ExposeSetCookie,
				fmt.Sprintf("%s has %q: browsers never let scripts read it (Fetch, forbidden response-header name), exposed or not", c.name("ExposeHeaders"), h),
				"remove it; the browser stores the cookie itself, and the front end can ask the API who is signed in"))
			continue
		case !acrh.IsToken(h):
			*errs = append(*errs, problem.NewError(problem.InvalidName,
				fmt.Sprintf("exposed header %q is not a header name (RFC 9110 token)", h), "write the header's name"))
			continue
		}
		if !seen[l] {
			seen[l] = true
			names = append(names, h)
		}
	}
	if len(names) > 0 {
		c.aceh = one(strings.Join(names, ", "))
	}
}

func (c *CORS) setMaxAge(d time.Duration, errs *[]error) {
	switch {
	case d < 0:
		*errs = append(*errs, problem.NewError(problem.MaxAgeCapped,
			fmt.Sprintf("%s %v is negative", c.name("MaxAge"), d), "use 0 for the browsers' default of 5 seconds, or a positive duration"))
		return
	case d > firefoxMaxAge:
		*errs = append(*errs, problem.NewError(problem.MaxAgeCapped,
			fmt.Sprintf("%s %v is above every browser's cap (Firefox 24h, Chromium 2h): browsers clamp or ignore it", c.name("MaxAge"), d),
			"use at most 2h (7200s)"))
		return
	case d > chromiumMaxAge:
		c.warnings = append(c.warnings, problem.NewWarning(problem.MaxAgeCapped,
			fmt.Sprintf("%s %v is above Chromium's cap of 2h: Chrome and Edge cache preflights for 2h only", c.name("MaxAge"), d),
			"use at most 2h (7200s) so every browser behaves the same"))
	}
	if d > 0 {
		c.acma = one(fmt.Sprint(int64(d / time.Second)))
	}
}
