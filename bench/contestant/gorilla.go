package contestant

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/rbcervilla/redisstore/v9"
)

// gorillaCookie is the cookie name of both gorilla contestants.
const gorillaCookie = "sid"

// gorilla builds a gorilla/sessions store: CookieStore (the whole session,
// signed with Key, in the cookie; not encrypted, like sesame's signed ID) or
// rbcervilla/redisstore (gob in Redis).
func (s *Server) gorilla(name string, o Options) (sessionAPI, error) {
	opts := sessions.Options{Path: "/", MaxAge: 86400, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	var st sessions.Store
	switch name {
	case "gorilla-cookie":
		cs := sessions.NewCookieStore(Key)
		cs.Options = &opts
		st = cs
	case "gorilla-redis":
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rs, err := redisstore.NewRedisStore(ctx, s.redis)
		if err != nil {
			return sessionAPI{}, err
		}
		rs.KeyPrefix(o.Prefix + "gorilla:")
		rs.Options(opts)
		st = rs
	}
	return sessionAPI{
		wrap: func(h http.Handler) http.Handler { return h },
		login: func(w http.ResponseWriter, r *http.Request, user string) error {
			// gorilla has no regenerate: a new Session gets a new ID on Save.
			ss := sessions.NewSession(st, gorillaCookie)
			o := opts
			ss.Options = &o
			ss.IsNew = true
			ss.Values["user"] = user
			return ss.Save(r, w)
		},
		get: func(_ http.ResponseWriter, r *http.Request, key string) (string, error) {
			ss, err := st.Get(r, gorillaCookie)
			if err != nil && ss == nil {
				return "", err
			}
			v, _ := ss.Values[key].(string)
			return v, nil
		},
		set: func(w http.ResponseWriter, r *http.Request, key, val string) error {
			ss, err := st.Get(r, gorillaCookie)
			if err != nil && ss == nil {
				return err
			}
			ss.Values[key] = val
			return ss.Save(r, w)
		},
	}, nil
}
