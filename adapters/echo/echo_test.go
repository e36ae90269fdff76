package echosesame_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/sesame-go/sesame"
	echosesame "github.com/sesame-go/sesame/adapters/echo"
	"github.com/sesame-go/sesame/internal/adaptertest"
	"github.com/sesame-go/sesame/session"
)

func routes(e *echo.Echo, rt adaptertest.Routes, from func(echo.Context) *session.Session) {
	e.POST("/api/login", func(c echo.Context) error {
		if err := adaptertest.Login(from(c)); err != nil {
			return err
		}
		return c.String(200, "ok")
	})
	e.GET("/api/me", func(c echo.Context) error { return c.String(200, from(c).User()) })
	e.POST("/api/late", func(c echo.Context) error {
		if err := c.String(200, "sent"); err != nil {
			return err
		}
		c.Response().Flush() // the response has started
		adaptertest.Late(from(c))
		return nil
	})
	e.GET("/api/data", func(c echo.Context) error {
		from(c).Has("x")
		return c.NoContent(http.StatusOK)
	})
	e.POST("/api/write", func(c echo.Context) error {
		rt.Reached.Add(1)
		return c.String(200, "written")
	})
}

func TestEcho(t *testing.T) {
	for _, tc := range []struct {
		name string
		from func(echo.Context) *session.Session
	}{
		{"echosesame.Session", echosesame.Session},
		{"session.From(c.Request().Context())", func(c echo.Context) *session.Session { return session.From(c.Request().Context()) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adaptertest.Run(t, func(t *testing.T, st *sesame.Stack, rt adaptertest.Routes) http.Handler {
				e := echo.New()
				e.HideBanner = true
				e.Pre(echosesame.Middleware(st))
				routes(e, rt, tc.from)
				return e
			})
		})
	}
}

// An error a handler returns is answered by echo's error handler through
// sesame's writer: the session changed before the error is saved and its
// cookie sent, and the response carries the CORS headers.
func TestEchoHandlerErrorKeepsCookieAndCORS(t *testing.T) {
	c := adaptertest.Run(t, func(t *testing.T, st *sesame.Stack, rt adaptertest.Routes) http.Handler {
		e := echo.New()
		e.HideBanner = true
		e.Pre(echosesame.Middleware(st))
		routes(e, rt, echosesame.Session)
		e.POST("/api/fail", func(c echo.Context) error {
			echosesame.Session(c).SetUser("bob")
			return echo.NewHTTPError(http.StatusTeapot, errors.New("nope"))
		})
		return e
	})
	resp, body := c.Do(t, "POST", "/api/fail", adaptertest.Frontend, nil)
	if resp.StatusCode != http.StatusTeapot {
		t.Errorf("got status %d %q, want 418", resp.StatusCode, body)
	}
	if resp.Header.Get("Set-Cookie") == "" {
		t.Error("got no Set-Cookie, want the session SetUser created")
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != adaptertest.Frontend {
		t.Errorf("got Access-Control-Allow-Origin %q, want %q", got, adaptertest.Frontend)
	}
}
