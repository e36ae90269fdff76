package session

import (
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// sessionGoneResponse is the default answer to ErrSessionGone: 409 Conflict (RFC
// 9110 §15.5.10, a conflict with the current state of the resource), which a
// front end can tell from a store outage (503) and from a signed-out user (401
// from the application): the user's last action did not stick and may be tried
// again.
func sessionGoneResponse() problem.Response {
	return problem.NewResponse(http.StatusConflict, &problem.Problem{
		Rule:   problem.SessionsEvicted,
		Detail: "the session was signed out, expired or given a new ID by another request while this one changed it; the change was not saved",
		Fix:    "reload the session (the browser may hold a new cookie) and try again",
	})
}
