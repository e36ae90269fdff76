package contestant

import (
	"net/http"
)

// sessionAPI is what each session library must provide for the shared
// handlers below: the same four endpoints over every library.
type sessionAPI struct {
	// wrap is the library's middleware (identity for libraries without one).
	wrap func(http.Handler) http.Handler
	// login starts a new session (with a new ID where the library can) for user.
	login func(w http.ResponseWriter, r *http.Request, user string) error
	// get returns the string under key, "" when there is none.
	get func(w http.ResponseWriter, r *http.Request, key string) (string, error)
	// set stores val under key.
	set func(w http.ResponseWriter, r *http.Request, key, val string) error
}

func (s *Server) mountSession(name string, api sessionAPI) {
	p := "/" + name + "/"
	s.mux.Handle("POST "+p+"login", api.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := api.login(w, r, "u"+s.next()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		bare(w, r)
	})))
	s.mux.Handle("GET "+p+"read", api.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := api.get(w, r, "user")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if u == "" {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		w.Header()["Content-Type"] = textPlain
		w.Write([]byte(u))
	})))
	s.mux.Handle("POST "+p+"write", api.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := s.next()
		if err := api.set(w, r, "n", v); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header()["Content-Type"] = textPlain
		w.Write([]byte(v))
	})))
	s.mux.Handle("GET "+p+"peek", api.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := api.get(w, r, "n")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header()["Content-Type"] = textPlain
		w.Write([]byte(v))
	})))
}

// sessionAPI builds the named session contestant.
func (s *Server) sessionAPI(name string, o Options) (sessionAPI, error) {
	switch name {
	case "sesame-mem", "sesame-redis", "sesame-redis-cache", "sesame-bolt", "sesame-pg", "sesame-mongo":
		return s.sesame(name, o)
	case "scs-mem", "scs-redis":
		return s.scs(name, o)
	case "gorilla-cookie", "gorilla-redis":
		return s.gorilla(name, o)
	}
	return sessionAPI{}, errUnknown(name)
}

type errUnknown string

func (e errUnknown) Error() string { return "unknown contestant " + string(e) }
