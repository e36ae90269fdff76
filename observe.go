package sesame

import (
	"context"
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/csrf"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// A RefusalObserver is a Config.Observer that is also told of each request a
// stage refused, by stage and rule id. otelsesame's Observer is one. The stages
// report:
//   - "csrf": every write the CSRF stage answers 403 (SES035, SES032, …);
//   - "cors": every preflight the CORS stage answers 403 (SES035 for an origin
//     not allowed, SES011 for a method or header not allowed, …); an actual
//     request from an origin not allowed is no refusal (the browser hides the
//     answer; the CSRF stage refuses writes);
//   - "proxy": every request whose forwarding headers were ignored because its
//     peer is not in TrustedProxies (SES002 for a private peer, SES016 for a
//     public one). Such a request is still served, as from its peer.
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

// observedRefusal returns a stage's OnRefuse callback reporting to o under
// stage, or nil when o counts no refusals.
func observedRefusal(o session.Observer, stage string) func(*http.Request, problem.ID) {
	ro, ok := o.(RefusalObserver)
	if !ok {
		return nil
	}
	return func(r *http.Request, rule problem.ID) { ro.Refused(r.Context(), stage, rule) }
}
