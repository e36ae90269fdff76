package csrf

import (
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// WriteProblem answers 403 Forbidden with an application/problem+json body
// (RFC 9457, problem.Response) describing err; a *problem.Problem in err gives the
// rule, detail, fix and, as "type", the link to the rule's documentation. It is the
// default Deny.
func WriteProblem(w http.ResponseWriter, err error) {
	r := problem.NewResponse(http.StatusForbidden, err)
	var p *problem.Problem
	if !errors.As(err, &p) {
		r.Title = "Cross-origin request refused"
	}
	r.Write(w)
}
