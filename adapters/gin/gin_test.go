package ginsesame_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/sesame-go/sesame"
	ginsesame "github.com/sesame-go/sesame/adapters/gin"
	"github.com/sesame-go/sesame/internal/adaptertest"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// routes registers the suite's routes. from is how a handler reaches the
// session: every way a gin user would try must work.
func routes(r *gin.Engine, rt adaptertest.Routes, from func(*gin.Context) *session.Session) {
	r.POST("/api/login", func(c *gin.Context) {
		if err := adaptertest.Login(from(c)); err != nil {
			c.String(500, err.Error())
			return
		}
		c.String(200, "ok")
	})
	r.GET("/api/me", func(c *gin.Context) { c.String(200, from(c).User()) })
	r.POST("/api/late", func(c *gin.Context) {
		c.String(200, "sent")
		c.Writer.Flush() // the response has started: the session's cookie can no longer go
		adaptertest.Late(from(c))
	})
	r.GET("/api/data", func(c *gin.Context) {
		from(c).Has("x")
		c.Status(http.StatusOK) // sent when the chain returns, through sesame's writer
	})
	r.POST("/api/write", func(c *gin.Context) {
		rt.Reached.Add(1)
		c.String(200, "written")
	})
}

func TestGin(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from     func(*gin.Context) *session.Session
		fallback bool
		noMethod bool
	}{
		{"ginsesame.Session", ginsesame.Session, false, false},
		// The first failure: session.From(c) returned nil on a
		// *gin.Context with ContextWithFallback false, gin's default.
		{"session.From(c) without ContextWithFallback", func(c *gin.Context) *session.Session { return session.From(c) }, false, false},
		{"session.From(c) with ContextWithFallback", func(c *gin.Context) *session.Session { return session.From(c) }, true, false},
		{"session.From(c.Request.Context())", func(c *gin.Context) *session.Session { return session.From(c.Request.Context()) }, false, false},
		{"HandleMethodNotAllowed", ginsesame.Session, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adaptertest.Run(t, func(t *testing.T, st *sesame.Stack, rt adaptertest.Routes) http.Handler {
				r := gin.New()
				r.ContextWithFallback = tc.fallback
				r.HandleMethodNotAllowed = tc.noMethod
				r.Use(ginsesame.Middleware(st))
				routes(r, rt, tc.from)
				return r
			})
		})
	}
}

// The second failure: an adapter that swaps only c.Request loses the
// Set-Cookie over a real socket, because gin writes through c.Writer and the
// session commits on the writer it wrapped. Both adapters serve the same login
// here; only Middleware's answer carries the cookie.
func TestRequestOnlyAdapterLosesTheCookie(t *testing.T) {
	requestOnly := func(st *sesame.Stack) gin.HandlerFunc {
		return func(c *gin.Context) {
			st.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				c.Request = r
				c.Next()
			})).ServeHTTP(c.Writer, c.Request)
		}
	}
	for _, tc := range []struct {
		name       string
		middleware func(*sesame.Stack) gin.HandlerFunc
		wantCookie bool
	}{
		{"c.Request only", requestOnly, false},
		{"ginsesame.Middleware", func(st *sesame.Stack) gin.HandlerFunc { return ginsesame.Middleware(st) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(nil)
			api := "http://" + srv.Listener.Addr().String()
			store, err := memstore.New(memstore.Config{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := sesame.New(sesame.Config{
				APIOrigin: api, Keys: [][]byte{[]byte("0123456789abcdefghijklmnopqrstuvwxyz")}, Store: store,
				Logger: slog.New(slog.DiscardHandler),
			})
			if err != nil {
				t.Fatal(err)
			}
			r := gin.New()
			r.Use(tc.middleware(st))
			r.POST("/login", func(c *gin.Context) {
				s := session.From(c.Request.Context())
				s.SetUser("alice")
				c.String(200, "ok")
			})
			srv.Config.Handler = r
			srv.Start()
			defer srv.Close()
			resp, err := srv.Client().Post(api+"/login", "text/plain", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := resp.Header.Get("Set-Cookie") != ""
			if resp.StatusCode != 200 || got != tc.wantCookie {
				t.Errorf("got status %d, cookie %v; want 200, cookie %v", resp.StatusCode, got, tc.wantCookie)
			}
		})
	}
}
