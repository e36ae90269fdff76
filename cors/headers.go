package cors

// Header names, in canonical form so that direct map access finds them.
const (
	hOrigin = "Origin"
	hVary   = "Vary"
	hACAO   = "Access-Control-Allow-Origin"
	hACAC   = "Access-Control-Allow-Credentials"
	hACAM   = "Access-Control-Allow-Methods"
	hACAH   = "Access-Control-Allow-Headers"
	hACMA   = "Access-Control-Max-Age"
	hACEH   = "Access-Control-Expose-Headers"
	hACRM   = "Access-Control-Request-Method"
	hACRH   = "Access-Control-Request-Headers"

	// DebugHeader carries the reason for a refusal when Config.Debug is set.
	DebugHeader = "Sesame-Cors-Error"
)

// one returns a one-element slice whose capacity is its length, so that a handler
// that appends to a header set from it (Header.Add) gets a new array instead of
// writing into the value every response shares. A handler must not assign to the
// elements of a response header slice it did not create.
func one(v string) []string { return []string{v}[:1:1] }
