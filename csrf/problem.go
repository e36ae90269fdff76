package csrf

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// problemJSON is an RFC 9457 problem details object with sesame's extension
// members "rule" and "fix".
type problemJSON struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Rule   string `json:"rule,omitempty"`
	Fix    string `json:"fix,omitempty"`
}

// WriteProblem answers 403 Forbidden with an application/problem+json body
// (RFC 9457) describing err; a *problem.Problem in err gives the rule, detail, fix
// and, as "type", the link to the rule's documentation. It is the default Deny.
func WriteProblem(w http.ResponseWriter, err error) {
	body := problemJSON{Type: "about:blank", Title: "Cross-origin request refused", Status: http.StatusForbidden, Detail: err.Error()}
	var p *problem.Problem
	if errors.As(err, &p) {
		body.Detail, body.Rule, body.Fix = p.Detail, string(p.Rule), p.Fix
		if rule, ok := doctor.Lookup(p.Rule); ok {
			body.Type, body.Title = rule.URL(), rule.Title
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	_ = json.NewEncoder(w).Encode(body)
}
