package express

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// UpgraderConfig configures an Upgrader.
type UpgraderConfig struct {
	// Format reads the express-session cookie (NewFormat with the Express
	// secrets). Required.
	Format *Format
	// Store holds the express-session records (connectredis.New). Required.
	Store session.Store
	// Cookie is the express-session cookie's Name, Domain and Path, to clear it.
	// Default: connect.sid, Path=/.
	Cookie CookieOptions
	// Logger receives the failures an upgrade shrugs off (the old store down:
	// the request goes on without the old session). Default slog.Default().
	Logger *slog.Logger
}

// An Upgrader moves users from express-compatible mode to sesame's own session
// format without signing them out. It runs inside a native session.Manager's
// Handler (or sesame.Stack's): on a request that has no native session but
// carries a valid express-session cookie whose record is live, it regenerates
// the (new) native session, copies the user and every value into it, deletes
// the old record and clears the old cookie. Leave it in place for the longest
// old idle timeout, then remove it. It is safe for concurrent use.
type Upgrader struct {
	cfg UpgraderConfig
}

// NewUpgrader returns an Upgrader for cfg, or every problem with it joined.
func NewUpgrader(cfg UpgraderConfig) (*Upgrader, error) {
	var errs []error
	if cfg.Format == nil {
		errs = append(errs, problem.NewError(problem.WeakKey, "express: UpgraderConfig.Format is nil", "pass NewFormat(the Express secrets)"))
	}
	if cfg.Store == nil {
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig, "express: UpgraderConfig.Store is nil", "pass the connectredis store of the Express records"))
	}
	if _, err := cfg.Cookie.base(); err != nil {
		errs = append(errs, problem.NewError(problem.CookieSyntax, err.Error(), "use the values express-session accepts"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.Cookie.Name == "" {
		cfg.Cookie.Name = DefaultName
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Upgrader{cfg: cfg}, nil
}

// ErrNoManager is returned by Upgrade outside a session.Manager's Handler.
var ErrNoManager = errors.New("express: Upgrader must run inside a session.Manager's Handler")

// Upgrade moves r's express-session session, if it has one and no native
// session, into the native session of the request, and reports whether it did.
// The old cookie is cleared through w's headers (before the response starts).
// An old store that fails is reported as an error; the native session is then
// left as it was.
func (u *Upgrader) Upgrade(w http.ResponseWriter, r *http.Request) (bool, error) {
	raw, ok := cookie.Get(r, u.cfg.Cookie.Name)
	if !ok {
		return false, nil
	}
	s := session.From(r.Context())
	if s == nil {
		return false, ErrNoManager
	}
	if !s.IsNew() {
		return false, nil
	}
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	id, why := u.cfg.Format.Decode(raw)
	if why != session.Found {
		return false, nil // forged or from rotated-out secrets: nothing to carry over
	}
	key := string(u.cfg.Format.AppendStoreKey(nil, id))
	rec, found, err := u.cfg.Store.Load(r.Context(), key)
	if err != nil {
		return false, err
	}
	u.clear(w, r)
	if !found {
		return false, nil
	}
	// A new ID for the upgraded session: the old one was visible in the Redis
	// keys (session fixation and key-listing both end here).
	if err := s.Regenerate(); err != nil {
		return false, err
	}
	if rec.User != "" {
		s.SetUser(rec.User)
	}
	for k, v := range rec.Values {
		if err := session.Set(s, k, v); err != nil {
			return false, err
		}
	}
	// Delete now: an old cookie replayed later must not upgrade again.
	if err := u.cfg.Store.Delete(r.Context(), key); err != nil {
		u.cfg.Logger.Warn("express: the upgraded session's old record could not be deleted; it expires with its TTL", "err", err)
	}
	return true, nil
}

// clear expires the old cookie with its Name, Domain and Path.
func (u *Upgrader) clear(w http.ResponseWriter, r *http.Request) {
	ck, err := ClearCookie(u.cfg.Cookie)
	if err != nil {
		return // checked by NewUpgrader
	}
	line, _, err := cookie.AppendSetCookie(nil, &ck, r.Host)
	if err == nil {
		w.Header().Add("Set-Cookie", string(line))
	}
}

// Handler upgrades each request's session (Upgrade) before next serves it. A
// failing old store is logged and the request served without the old session:
// during a migration window, a signed-out user beats an outage.
func (u *Upgrader) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := u.Upgrade(w, r); err != nil {
			u.cfg.Logger.Warn("express: could not upgrade an express-session session", "err", err)
		}
		next.ServeHTTP(w, r)
	})
}
