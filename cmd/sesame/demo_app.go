package main

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

// web is the demo's front end: plain HTML, CSS and JavaScript with a vendored axios
// build, embedded so the binary serves it with no build step.
//
//go:embed web
var web embed.FS

// appHandler serves the front end. index.html is rendered once with the API's
// public origin, which the page calls unless its URL says ?api=.
func appHandler(apiOrigin string) (http.Handler, error) {
	files, err := fs.Sub(web, "web")
	if err != nil {
		return nil, err
	}
	tmpl, err := template.ParseFS(files, "index.html")
	if err != nil {
		return nil, err
	}
	var index bytes.Buffer
	if err := tmpl.Execute(&index, struct{ API string }{apiOrigin}); err != nil {
		return nil, err
	}
	static := http.FileServerFS(files)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(index.Bytes())
	})
	mux.HandleFunc("GET /index.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	})
	mux.Handle("GET /", static)
	return pageHeaders(mux), nil
}

// pageHeaders adds the usual hardening headers of a page that holds no secrets of
// its own but talks to an API with the user's cookies. connect-src is open because
// ?api= may point the page anywhere; scripts and styles come only from this origin
// (OWASP HTTP Headers Cheat Sheet).
func pageHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; connect-src *; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}
