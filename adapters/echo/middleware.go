package echosesame

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/sesame-go/sesame/session"
)

// A Wrapper is what Middleware runs: a *sesame.Stack, a *session.Manager, a
// *cors.CORS, or anything else with the net/http middleware shape.
type Wrapper interface {
	Handler(next http.Handler) http.Handler
}

// call carries echo's context and the rest of its chain through the net/http
// chain to its far end.
type call struct {
	c    echo.Context
	next echo.HandlerFunc
}

type callKey struct{}

// Middleware returns an echo middleware, for e.Pre, that runs w around the rest
// of echo's chain (routing, e.Use middleware, the handler). w.Handler is called
// once per chain echo builds, not per request.
func Middleware(w Wrapper) echo.MiddlewareFunc {
	h := w.Handler(http.HandlerFunc(inner))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			resp := c.Response()
			r := c.Request()
			r = r.WithContext(context.WithValue(r.Context(), callKey{}, &call{c: c, next: next}))
			h.ServeHTTP(&outer{ResponseWriter: resp.Writer, resp: resp}, r)
			return nil // an error of next was given to c.Error inside
		}
	}
}

// inner is the far end of the net/http chain: it hands the request and
// sesame's writer to echo and runs the rest of its chain.
func inner(rw http.ResponseWriter, r *http.Request) {
	call := r.Context().Value(callKey{}).(*call)
	c := call.c
	resp := c.Response()
	origW, origR := resp.Writer, c.Request()
	resp.Writer = rw
	c.SetRequest(r)
	defer func() { resp.Writer = origW; c.SetRequest(origR) }()
	if err := call.next(c); err != nil {
		c.Error(err) // answered now, through sesame's writer
	}
}

// Session returns the session of the request. It panics, naming the fix, when
// Middleware did not run for c: a nil session would panic at its first method
// call anyway, with nothing said about why.
func Session(c echo.Context) *session.Session {
	if s := session.From(c.Request().Context()); s != nil {
		return s
	}
	panic("echosesame.Session: no session on this request: install echosesame.Middleware(stack) with e.Pre")
}

// outer is the writer the stack writes to: echo's underlying writer, keeping
// echo's Response told when the stack answers by itself (a preflight, a 403, a
// 503), so that echo's logger and error handler see the response as sent.
type outer struct {
	http.ResponseWriter
	resp *echo.Response
}

func (o *outer) WriteHeader(code int) {
	if !o.resp.Committed {
		o.resp.Status = code
		o.resp.Committed = true
	}
	o.ResponseWriter.WriteHeader(code)
}

func (o *outer) Write(b []byte) (int, error) {
	if !o.resp.Committed {
		o.WriteHeader(http.StatusOK)
	}
	return o.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer (Flush,
// Hijack, deadlines).
func (o *outer) Unwrap() http.ResponseWriter { return o.ResponseWriter }
