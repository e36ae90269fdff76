package sesame

import (
	"context"
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/problem"
)

// A RefusalObserver is a Config.Observer that is also told of each request a
// stage refused, by stage ("csrf") and rule id. otelsesame's Observer is one.
// Only the CSRF stage reports refusals so far.
type RefusalObserver interface {
	Refused(ctx context.Context, stage string, rule problem.ID)
}

// observedDeny is the CSRF stage's Deny when the Observer counts refusals: it
// reports the refusal, then answers as the default Deny does.
func observedDeny(o RefusalObserver) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		rule := problem.ID("")
		if p, ok := errors.AsType[*problem.Problem](err); ok {
			rule = p.Rule
		}
		o.Refused(r.Context(), "csrf", rule)
		csrf.WriteProblem(w, err)
	}
}
