package session

import (
	"errors"
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// defaultErrorFunc answers a store failure with 503 and a problem+json body that
// names the store, and anything else with 500. The underlying error text, which
// may hold addresses, is only in the body in development mode.
func defaultErrorFunc(dev bool) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		p := problem.NewResponse(http.StatusInternalServerError, nil)
		var se *StoreError
		if errors.As(err, &se) {
			detail := "the " + se.Store + " session store failed to " + se.Op + "; try again shortly"
			if errors.Is(err, ErrStoreTimeout) {
				detail = "the " + se.Store + " session store did not answer in time (" + se.Op + "); try again shortly"
			}
			p = problem.NewResponse(http.StatusServiceUnavailable, &problem.Problem{Rule: problem.StoreUnavailable, Detail: detail})
			p.Title = "Session store unavailable"
			w.Header().Set("Retry-After", "1")
		} else if errors.Is(err, ErrSessionGone) {
			p = sessionGoneResponse()
		}
		if dev {
			p.Detail += ": " + err.Error()
		}
		p.Write(w)
	}
}
