package session

import "net/http"

// priorHeaders is how many header fields the state keeps without allocating: a
// CORS stage sets at most Access-Control-Allow-Origin, -Allow-Credentials,
// -Expose-Headers and Vary; more are copied (one allocation).
const priorHeaders = 4

type priorHeader struct {
	name   string
	values []string
}

// keepPriorHeaders remembers the header fields set before the session stage ran.
// They belong to the stages in front of it (the CORS headers and Vary: Origin
// above all): an error response of the session stage replaces what the handler
// prepared, not what they did (a 503 without Access-Control-Allow-Origin is an
// unreadable network error in the browser, issue 14). The slices are shared, not
// copied: what a handler appends lies past the kept length, which the kept
// slice does not see.
func (st *state) keepPriorHeaders(h http.Header) {
	if len(h) > priorHeaders {
		st.priorMany = h.Clone()
		return
	}
	for k, v := range h {
		st.prior[st.nprior] = priorHeader{k, v}
		st.nprior++
	}
}

// restorePriorHeaders makes h what it was when the session stage was entered.
func (st *state) restorePriorHeaders(h http.Header) {
	clear(h)
	if st.priorMany != nil {
		for k, v := range st.priorMany {
			h[k] = v
		}
		return
	}
	for _, p := range st.prior[:st.nprior] {
		h[p.name] = p.values
	}
}
