// Package frameworks_test checks sesame in routers that need no adapter: chi
// takes net/http middleware as it is (r.Use(stack.Handler)). It lives in the
// bench module, which may depend on chi; the core module may not.
package frameworks_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/internal/adaptertest"
	"github.com/sesame-go/sesame/session"
)

// chi runs r.Use middleware before routing, so preflights to unknown paths
// reach the CORS stage, and handlers write to the writer the stack wrapped.
func TestChi(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T, st *sesame.Stack, rt adaptertest.Routes) http.Handler {
		r := chi.NewRouter()
		r.Use(st.Handler)
		r.Post("/api/login", func(w http.ResponseWriter, r *http.Request) {
			if err := adaptertest.Login(session.From(r.Context())); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			io.WriteString(w, "ok")
		})
		r.Get("/api/me", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, session.From(r.Context()).User())
		})
		r.Post("/api/late", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "sent")
			http.NewResponseController(w).Flush()
			adaptertest.Late(session.From(r.Context()))
		})
		r.Get("/api/data", func(w http.ResponseWriter, r *http.Request) {
			session.From(r.Context()).Has("x")
		})
		r.Post("/api/write", func(w http.ResponseWriter, r *http.Request) {
			rt.Reached.Add(1)
			io.WriteString(w, "written")
		})
		return r
	})
}
