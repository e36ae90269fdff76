package express_test

import (
	"testing"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/cookie"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func TestSessionConfig(t *testing.T) {
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tests := []struct {
		name     string
		o        express.Options
		idle     time.Duration
		browser  bool
		secure   session.SecureMode
		sameSite cookie.SameSite
		cookie   string
	}{
		{"express defaults", express.Options{Secrets: []string{"s"}}, express.DefaultTTL, true, session.SecureAuto, cookie.SameSiteLax, "connect.sid"},
		{"store ttl without maxAge", express.Options{Secrets: []string{"s"}, TTL: 10 * time.Minute}, 10 * time.Minute, true, session.SecureAuto, cookie.SameSiteLax, "connect.sid"},
		{"cross-site", express.Options{Secrets: []string{"s"}, Cookie: express.CookieOptions{Name: "app.sid", MaxAge: time.Hour, Secure: true, SameSite: "none"}},
			time.Hour, false, session.SecureAlways, cookie.SameSiteNone, "app.sid"},
		{"sameSite true is Strict", express.Options{Secrets: []string{"s"}, Cookie: express.CookieOptions{SameSite: "true"}}, express.DefaultTTL, true, session.SecureAuto, cookie.SameSiteStrict, "connect.sid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := express.SessionConfig(store, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if c.IdleTimeout != tt.idle || c.Cookie.BrowserSession != tt.browser || c.Cookie.Secure != tt.secure ||
				c.Cookie.SameSite != tt.sameSite || c.Cookie.Name != tt.cookie || c.AbsoluteTimeout >= 0 || c.Format == nil {
				t.Fatalf("got idle %v, browser %v, secure %v, sameSite %v, name %s, absolute %v; want %v, %v, %v, %v, %s, off",
					c.IdleTimeout, c.Cookie.BrowserSession, c.Cookie.Secure, c.Cookie.SameSite, c.Cookie.Name, c.AbsoluteTimeout,
					tt.idle, tt.browser, tt.secure, tt.sameSite, tt.cookie)
			}
			if _, err := session.New(c); err != nil {
				t.Fatalf("session.New: %v", err)
			}
		})
	}
	for _, o := range []express.Options{{}, {Secrets: []string{"s"}, Cookie: express.CookieOptions{SameSite: "auto"}}} {
		if _, err := express.SessionConfig(store, o); err == nil {
			t.Fatalf("SessionConfig(%+v): got no error, want one", o)
		}
	}
	if _, err := express.SessionConfig(nil, express.Options{Secrets: []string{"s"}}); err == nil {
		t.Fatal("SessionConfig(nil store): got no error, want one")
	}
}
