package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sesame-go/sesame/proxy"
	"github.com/sesame-go/sesame/session"
)

// rememberFor is how long a "remember me" sign-in lasts, idle or not. It stays
// under the browsers' 400-day cookie cap (RFC 6265bis §5.6.1).
const rememberFor = 30 * 24 * time.Hour

// Session keys the demo writes. Each preference lives under its own key, so two
// requests saving different preferences patch different keys and both survive.
const (
	keyUserAgent = "ua"
	keyClientIP  = "ip"
	prefPrefix   = "pref:"
)

// prefName is what a preference may be called: short and safe in a URL path.
var prefName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// demoAPI is the demo's JSON API. Its handlers run inside the session stage, so
// session.From(r.Context()) is never nil.
type demoAPI struct {
	m        *session.Manager
	dev      bool // explain missing sessions in problem details
	listable bool // the store keeps a user index (connect-redis records do not)
}

func (a *demoAPI) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", a.login)
	mux.HandleFunc("GET /api/me", a.me)
	mux.HandleFunc("POST /api/logout", a.logout)
	mux.HandleFunc("GET /api/prefs", a.prefs)
	mux.HandleFunc("PUT /api/prefs/{name}", a.setPref)
	mux.HandleFunc("GET /api/sessions", a.sessions)
	mux.HandleFunc("DELETE /api/sessions/others", a.signOutOthers)
	mux.HandleFunc("DELETE /api/sessions", a.signOutEverywhere)
	return mux
}

type userJSON struct {
	Name string `json:"name"`
}

func (a *demoAPI) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Remember bool   `json:"remember"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if !checkPassword(in.Username, in.Password) {
		respondProblem(w, http.StatusUnauthorized, "Wrong username or password", "The demo accounts are alice/wonderland and bob/builder.")
		return
	}
	s := session.From(r.Context())
	// A new ID at sign-in: an ID planted before login is worthless after it
	// (session fixation; OWASP Session Management Cheat Sheet).
	if err := s.Regenerate(); err != nil {
		a.fail(w, r, err)
		return
	}
	s.SetUser(in.Username)
	if in.Remember {
		s.SetTimeouts(rememberFor, rememberFor)
	}
	// Shown in the list of active sessions. The address is the one the
	// trusted-proxy stage resolved, never a header a client could forge.
	_ = session.Set(s, keyUserAgent, r.UserAgent())
	_ = session.Set(s, keyClientIP, proxy.ClientIP(r).String())
	respondJSON(w, http.StatusOK, map[string]any{"user": userJSON{in.Username}})
}

func (a *demoAPI) me(w http.ResponseWriter, r *http.Request) {
	s, user, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	respondJSON(w, http.StatusOK, map[string]any{
		"user":    userJSON{user},
		"session": map[string]time.Time{"created": s.Created(), "expires": s.Expires()},
	})
}

func (a *demoAPI) logout(w http.ResponseWriter, r *http.Request) {
	// Destroy deletes the record now, so a replayed cookie finds nothing, and
	// clears the cookie when the response starts.
	if err := session.From(r.Context()).Destroy(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *demoAPI) prefs(w http.ResponseWriter, r *http.Request) {
	s, _, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	prefs := map[string]json.RawMessage{}
	for _, k := range s.Keys() {
		if name, ok := strings.CutPrefix(k, prefPrefix); ok {
			if v, ok := session.Get[json.RawMessage](s, k); ok {
				prefs[name] = v
			}
		}
	}
	respondJSON(w, http.StatusOK, map[string]any{"prefs": prefs})
}

func (a *demoAPI) setPref(w http.ResponseWriter, r *http.Request) {
	s, _, ok := a.signedIn(w, r)
	if !ok {
		return
	}
	name := r.PathValue("name")
	if !prefName.MatchString(name) {
		respondProblem(w, http.StatusBadRequest, "Bad preference name", "A name is 1 to 64 letters, digits, '_', '.' or '-'.")
		return
	}
	var in struct {
		Value json.RawMessage `json:"value"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if len(in.Value) == 0 {
		respondProblem(w, http.StatusBadRequest, "Missing value", `The body is {"value": …}.`)
		return
	}
	if err := session.Set(s, prefPrefix+name, in.Value); err != nil {
		respondProblem(w, http.StatusBadRequest, "Bad value", err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type sessionJSON struct {
	Current   bool      `json:"current"`
	Created   time.Time `json:"created"`
	LastSeen  time.Time `json:"lastSeen"`
	Expires   time.Time `json:"expires"`
	UserAgent string    `json:"userAgent"`
	ClientIP  string    `json:"clientIP"`
}

func (a *demoAPI) sessions(w http.ResponseWriter, r *http.Request) {
	s, user, ok := a.signedIn(w, r)
	if !ok || !a.indexed(w) {
		return
	}
	entries, err := a.m.UserSessions(r.Context(), user)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	current := s.Key()
	list := make([]sessionJSON, 0, len(entries))
	for _, e := range entries {
		list = append(list, sessionJSON{
			Current:   e.Key == current,
			Created:   e.Record.Created,
			LastSeen:  e.Record.Touched,
			Expires:   e.Record.Expires(),
			UserAgent: stringValue(e.Record.Values, keyUserAgent),
			ClientIP:  stringValue(e.Record.Values, keyClientIP),
		})
	}
	// This browser first, then the most recently active.
	slices.SortFunc(list, func(x, y sessionJSON) int {
		if x.Current != y.Current {
			if x.Current {
				return -1
			}
			return 1
		}
		return y.LastSeen.Compare(x.LastSeen)
	})
	respondJSON(w, http.StatusOK, map[string]any{"sessions": list})
}

func (a *demoAPI) signOutOthers(w http.ResponseWriter, r *http.Request) {
	s, user, ok := a.signedIn(w, r)
	if !ok || !a.indexed(w) {
		return
	}
	if _, err := a.m.DestroyUser(r.Context(), user, s.Key()); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *demoAPI) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	s, user, ok := a.signedIn(w, r)
	if !ok || !a.indexed(w) {
		return
	}
	if _, err := a.m.DestroyUser(r.Context(), user, ""); err != nil {
		a.fail(w, r, err)
		return
	}
	// The record is gone already; Destroy also clears this browser's cookie.
	if err := s.Destroy(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// indexed answers 501 and reports false when the store cannot list a user's
// sessions (a session.UserIndex).
func (a *demoAPI) indexed(w http.ResponseWriter) bool {
	if !a.listable {
		respondProblem(w, http.StatusNotImplemented, "Sessions cannot be listed",
			"This store keeps no index of a user's sessions (connect-redis records in --compat express), so listing and signing out other sessions are not available.")
	}
	return a.listable
}

// signedIn returns the request's session and user, or answers 401 with the
// reason there is none and reports false.
func (a *demoAPI) signedIn(w http.ResponseWriter, r *http.Request) (*session.Session, string, bool) {
	s := session.From(r.Context())
	if user := s.User(); user != "" {
		return s, user, true
	}
	detail := "Sign in first."
	if a.dev {
		detail = s.Why().Explain()
	}
	respondProblem(w, http.StatusUnauthorized, "Not signed in", detail)
	return nil, "", false
}

// fail answers a store failure the way the session stage does for its own: the
// Manager's ErrorFunc (503 naming the store for a *session.StoreError).
func (a *demoAPI) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.m.Config().ErrorFunc(w, r, err)
}

// stringValue decodes the JSON string stored under key, "" when absent.
func stringValue(values map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := values[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}
