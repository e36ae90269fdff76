package session

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// problemBody is an RFC 9457 problem details body.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Rule   string `json:"rule,omitempty"`
}

// docsURL is where each rule is explained.
const docsURL = "https://github.com/sesame-go/sesame/blob/main/docs/doctor.md#"

// defaultErrorFunc answers a store failure with 503 and a problem+json body that
// names the store, and anything else with 500. The underlying error text, which
// may hold addresses, is only in the body in development mode.
func defaultErrorFunc(dev bool) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		p := problemBody{Type: "about:blank", Title: "Internal Server Error", Status: http.StatusInternalServerError}
		var se *StoreError
		if errors.As(err, &se) {
			p = problemBody{
				Type:   docsURL + "ses031",
				Title:  "Session store unavailable",
				Status: http.StatusServiceUnavailable,
				Detail: "the " + se.Store + " session store failed to " + se.Op + "; try again shortly",
				Rule:   string(problem.StoreUnavailable),
			}
			if errors.Is(err, ErrStoreTimeout) {
				p.Detail = "the " + se.Store + " session store did not answer in time (" + se.Op + "); try again shortly"
			}
			w.Header().Set("Retry-After", "1")
		} else if errors.Is(err, ErrSessionGone) {
			p = sessionGoneProblem
		}
		if dev {
			p.Detail += ": " + err.Error()
		}
		WriteProblem(w, p.Status, p.Type, p.Title, p.Detail, p.Rule)
	}
}

// WriteProblem writes an application/problem+json response (RFC 9457).
func WriteProblem(w http.ResponseWriter, status int, typ, title, detail, rule string) {
	body, _ := json.Marshal(problemBody{Type: typ, Title: title, Status: status, Detail: detail, Rule: rule})
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
