// Package otelsesame reports what sesame's sessions do as OpenTelemetry metrics
// and traces. Its Observer plugs into session.Config.Observer (through
// sesame.Config.Session.Observer for a Stack):
//
//	obs, err := otelsesame.New(otelsesame.Config{}) // the global providers
//	st, err := sesame.New(sesame.Config{..., Session: session.Config{Observer: obs}})
//
// Instruments (OpenTelemetry semantic conventions where one exists, the rest
// under sesame.):
//
//	db.client.operation.duration   histogram, s: each store call, by
//	                               db.system.name, db.operation.name
//	                               (load, save, patch, move, delete) and error.type
//	sesame.session.events          counter: sesame.session.event = created,
//	                               regenerated, destroyed
//	sesame.session.loads           counter: sesame.session.load.outcome = found,
//	                               no-cookie, malformed-cookie, bad-signature,
//	                               unknown-or-expired, store-error
//	                               (session.Reason's String)
//	sesame.responses.unavailable   counter: responses replaced by the session's
//	                               ErrorFunc (a 503, rule SES031), by error.type
//	sesame.requests.refused        counter: requests a stage refused, by
//	                               sesame.stage and sesame.rule
//	                               (sesame.RefusalObserver): csrf (writes
//	                               answered 403), cors (preflights answered
//	                               403: SES035, SES011, …), proxy (forwarding
//	                               headers ignored from a peer not trusted:
//	                               SES002, SES016; the request is served)
//
// Each store call is a span of kind client named after its operation
// ("sesame.store load"), carrying db.system.name, db.operation.name and
// sesame.store.name; on failure its status is Error, error.type is set and
// sesame.rule names the rule (SES031).
//
// db.system.name is the OpenTelemetry name of the store where there is one
// (redis, postgresql, mongodb) and the store's own Name() otherwise (memory,
// bolt, …); sesame.store.name is always the store's own name.
package otelsesame
