package ginsesame

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sesame-go/sesame/session"
)

// A Wrapper is what Middleware runs: a *sesame.Stack, a *session.Manager, a
// *cors.CORS, or anything else with the net/http middleware shape.
type Wrapper interface {
	Handler(next http.Handler) http.Handler
}

// ginKey carries the *gin.Context through the net/http chain to its far end.
type ginKey struct{}

// Middleware returns a gin middleware that runs w around the rest of gin's
// chain: the request the handlers see (c.Request) is the one w hands on, the
// writes they make through c.Writer go through w's writer, and the session is
// reachable with Session(c) or session.From(c). w.Handler is called once, here.
func Middleware(w Wrapper) gin.HandlerFunc {
	h := w.Handler(http.HandlerFunc(inner))
	return func(c *gin.Context) {
		r := c.Request.WithContext(context.WithValue(c.Request.Context(), ginKey{}, c))
		reached := false
		c.Set(reachedKey, &reached)
		h.ServeHTTP(c.Writer, r)
		if !reached {
			c.Abort() // the stack answered (preflight, refusal, 503): stop gin's chain
		}
	}
}

// reachedKey records that the stack handed the request on to gin's chain.
const reachedKey = "github.com/sesame-go/sesame/adapters/gin.reached"

// inner is the far end of the net/http chain: it hands the request, the writer
// and the session back to gin and runs the rest of its chain.
func inner(rw http.ResponseWriter, r *http.Request) {
	c := r.Context().Value(ginKey{}).(*gin.Context)
	if p, ok := c.Get(reachedKey); ok {
		*p.(*bool) = true
	}
	orig, origReq := c.Writer, c.Request
	w := &writer{rw: rw, gin: orig, status: http.StatusOK, size: -1}
	c.Writer, c.Request = w, r
	if s := session.From(r.Context()); s != nil {
		c.Set(session.FrameworkKey, s)
	}
	defer func() { c.Writer, c.Request = orig, origReq }()
	c.Next()
	// gin sends a status set by c.Status only when the chain returns; send it
	// through sesame's writer while that is still in place.
	w.WriteHeaderNow()
}

// Session returns the session of the request. It panics, naming the fix, when
// Middleware did not run for c: a nil session would panic at its first method
// call anyway, with nothing said about why.
func Session(c *gin.Context) *session.Session {
	if s := session.From(c.Request.Context()); s != nil {
		return s
	}
	if v, ok := c.Get(session.FrameworkKey); ok {
		if s, ok := v.(*session.Session); ok {
			return s
		}
	}
	panic("ginsesame.Session: no session on this request: install ginsesame.Middleware(stack) with engine.Use before the routes that use it")
}
