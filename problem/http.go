package problem

import (
	"encoding/json"
	"errors"
	"net/http"
)

// A Response is an RFC 9457 problem details object, with sesame's extension
// members "rule" (the rule id) and "fix" (what to change). It is the one body every
// stage answers an error with: the CSRF stage's 403, the session stage's 503 and
// 500.
type Response struct {
	Type   string `json:"type"`             // the rule's documentation (ID.URL), or "about:blank"
	Title  string `json:"title"`            // the rule's title (ID.Title), or the status text
	Status int    `json:"status"`           // the HTTP status code
	Detail string `json:"detail,omitempty"` // what exactly was wrong
	Rule   string `json:"rule,omitempty"`   // the rule id, e.g. "SES035"
	Fix    string `json:"fix,omitempty"`    // what to change
}

// NewResponse describes err as a response with the given status. When err holds a
// *Problem (errors.As), its rule gives the type (ID.URL), the title (ID.Title), and
// the problem its detail and fix. Otherwise the type is "about:blank", the title
// http.StatusText(status) and the detail err.Error(). A nil err gives a body with
// only type, title and status.
func NewResponse(status int, err error) Response {
	r := Response{Type: "about:blank", Title: http.StatusText(status), Status: status}
	var p *Problem
	switch {
	case errors.As(err, &p):
		r.Detail, r.Rule, r.Fix = p.Detail, string(p.Rule), p.Fix
		if t := p.Rule.Title(); t != "" {
			r.Type, r.Title = p.Rule.URL(), t
		}
	case err != nil:
		r.Detail = err.Error()
	}
	return r
}

// Write sends r as an application/problem+json response with status r.Status. It
// sets Content-Type, and Cache-Control: no-store (an error is about this request
// only) and X-Content-Type-Options: nosniff; it leaves every other header of w as
// it is, so the headers another stage set (CORS's, Retry-After) go out with it.
// Call it before anything else is written to w.
func (r Response) Write(w http.ResponseWriter) {
	body, err := json.Marshal(r)
	if err != nil { // a Response holds only strings and an int
		body = []byte(`{"type":"about:blank","status":500}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(r.Status)
	_, _ = w.Write(append(body, '\n'))
}
