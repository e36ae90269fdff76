package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// decodeJSON reads a small JSON body into v, or answers 400/415 and reports false.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		respondProblem(w, http.StatusUnsupportedMediaType, "Send JSON", "Content-Type must be application/json.")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10))
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			respondProblem(w, http.StatusRequestEntityTooLarge, "Body too large", "The limit is 16 KiB.")
		} else {
			respondProblem(w, http.StatusBadRequest, "Bad JSON", err.Error())
		}
		return false
	}
	return true
}

func respondJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeProblem answers with an RFC 9457 problem details document.
func respondProblem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail,omitempty"`
	}{"about:blank", title, status, cmp.Or(detail, title)})
}
