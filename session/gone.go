package session

import (
	"net/http"

	"github.com/sesame-go/sesame/problem"
)

// sessionGoneProblem is the default answer to ErrSessionGone: 409 Conflict (RFC
// 9110 §15.5.10, a conflict with the current state of the resource), which a
// front end can tell from a store outage (503) and from a signed-out user (401
// from the application): the user's last action did not stick and may be tried
// again.
var sessionGoneProblem = problemBody{
	Type:   docsURL + "ses022",
	Title:  "Session changed by another request",
	Status: http.StatusConflict,
	Detail: "the session was signed out, expired or given a new ID by another request while this one changed it; the change was not saved: reload the session and try again",
	Rule:   string(problem.SessionsEvicted),
}
