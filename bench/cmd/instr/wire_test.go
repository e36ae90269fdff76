package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveWire reads every response to its end, bodies and 204s alike, so the
// requests keep going over the one connection, and stops at a non-2xx status.
func TestServeWire(t *testing.T) {
	served := map[string]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /body", func(w http.ResponseWriter, r *http.Request) {
		served[r.URL.Path]++
		w.Header().Set("X-Long", strings.Repeat("x", 3000))
		w.Write([]byte(strings.Repeat("b", 1000)))
	})
	mux.HandleFunc("OPTIONS /empty", func(w http.ResponseWriter, r *http.Request) {
		served[r.URL.Path]++
		if r.Header.Get("Origin") != "https://app.example.com" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	})
	empty := httptest.NewRequest("OPTIONS", "http://127.0.0.1/empty", nil)
	empty.Header.Set("Origin", "https://app.example.com")
	reqs := []*http.Request{httptest.NewRequest("GET", "http://127.0.0.1/body", nil), empty}
	if err := serveWire(mux, reqs, 10); err != nil {
		t.Fatal(err)
	}
	if served["/body"] != 5 || served["/empty"] != 5 {
		t.Errorf("got %v served, want 5 of each", served)
	}
	err := serveWire(mux, []*http.Request{httptest.NewRequest("GET", "http://127.0.0.1/fail", nil)}, 1)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Errorf("got %v, want the 500 reported", err)
	}
}
