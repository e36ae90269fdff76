// Package contestant builds the Go servers of sesame's side-by-side benchmark:
// one http.Handler that serves, under one path prefix per contestant, the same
// small API built with sesame and with what a Go user would pick instead
// (alexedwards/scs, gorilla/sessions, rs/cors, jub0bs/cors,
// net/http.CrossOriginProtection).
//
// Every contestant answers the same requests, so that a load generator can put
// them side by side and the only difference is the library:
//
//	GET  /bare                 plain net/http, the reference every ratio divides by
//	POST /NAME/login           a new session for a new user (the way to get a cookie)
//	GET  /NAME/read            the session's user, 401 without a session
//	POST /NAME/write           sets "n" to a fresh number and answers it
//	GET  /NAME/peek            the session's "n" (to check that a write was stored)
//	OPTIONS /NAME/api          a CORS preflight from Origin (see the Origin constant)
//	GET  /NAME/api             an actual CORS request from Origin
//	POST /NAME/api             a cross-origin write from a trusted Origin (CSRF stages)
//
// The package lives in its own module (bench/go.mod), so none of the libraries
// it compares sesame with ever enters sesame's own module graph.
package contestant
