package contestant

import (
	"net/http"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
)

// scs builds an alexedwards/scs SessionManager on the named store, with its
// defaults (gob codec, 24h lifetime, cookie "session").
func (s *Server) scs(name string, o Options) (sessionAPI, error) {
	sm := scs.New()
	switch name {
	case "scs-mem":
		sm.Store = memstore.New()
	case "scs-redis":
		sm.Store = goredisstore.NewWithPrefix(s.redis, o.Prefix+"scs:")
	}
	sm.ErrorFunc = func(w http.ResponseWriter, _ *http.Request, err error) {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
	return sessionAPI{
		wrap: sm.LoadAndSave,
		login: func(_ http.ResponseWriter, r *http.Request, user string) error {
			if err := sm.RenewToken(r.Context()); err != nil {
				return err
			}
			sm.Put(r.Context(), "user", user)
			return nil
		},
		get: func(_ http.ResponseWriter, r *http.Request, key string) (string, error) {
			return sm.GetString(r.Context(), key), nil
		},
		set: func(_ http.ResponseWriter, r *http.Request, key, val string) error {
			sm.Put(r.Context(), key, val)
			return nil
		},
	}, nil
}
