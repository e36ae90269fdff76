package session

import "context"

// An Observer is told what the Manager does, for metrics and traces (the
// adapters/otel module implements one on OpenTelemetry). Config.Observer nil,
// the default, costs one nil check per call site and no allocation.
//
// Every method is called on the request's goroutine, some of them under the
// session's lock: an Observer must be safe for concurrent use, return quickly,
// and never call back into the Session.
type Observer interface {
	// Event reports a session created, regenerated (a new ID for the same
	// session) or destroyed, once its store call succeeded.
	Event(ctx context.Context, e Event)

	// Loaded reports the outcome of a request's first use of its session:
	// Found, NoCookie, Malformed, BadSignature, Unknown (expired or destroyed) or
	// StoreFailed.
	Loaded(ctx context.Context, why Reason)

	// StoreCall is called before each call to the store, with the store's name
	// ("redis", "postgres", "memory", …) and the operation ("load", "save",
	// "patch", "apply", "move", "delete"). The call is made with the context it returns, and
	// done is called with the call's error (nil on success) when it returns.
	StoreCall(ctx context.Context, store, op string) (_ context.Context, done func(err error))

	// Unavailable reports a response replaced by Config.ErrorFunc (by default
	// a 503 naming the store, rule SES031) because of err.
	Unavailable(ctx context.Context, err error)
}

// Event is what happened to a session, for Observer.Event.
type Event uint8

const (
	Created     Event = iota + 1 // a new session was saved
	Regenerated                  // a session moved to a new ID
	Destroyed                    // a session was deleted
)

var eventText = [...]string{Created: "created", Regenerated: "regenerated", Destroyed: "destroyed"}

func (e Event) String() string {
	if int(e) < len(eventText) && eventText[e] != "" {
		return eventText[e]
	}
	return "unknown-event"
}

// observed is a store call in progress; its zero value (no Observer) is free.
type observed struct{ done func(error) }

// observe starts a store call for the Observer, if there is one.
func (m *Manager) observe(ctx context.Context, op string) (context.Context, observed) {
	if m.cfg.Observer == nil {
		return ctx, observed{}
	}
	ctx, done := m.cfg.Observer.StoreCall(ctx, m.storeName, op)
	return ctx, observed{done}
}

func (o observed) end(err error) {
	if o.done != nil {
		o.done(err)
	}
}

// event tells the Observer, if there is one, what happened to a session.
func (m *Manager) event(ctx context.Context, e Event) {
	if m.cfg.Observer != nil {
		m.cfg.Observer.Event(ctx, e)
	}
}
