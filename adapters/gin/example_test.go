package ginsesame_test

import (
	"log"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sesame-go/sesame"
	ginsesame "github.com/sesame-go/sesame/adapters/gin"
	"github.com/sesame-go/sesame/session/memstore"
)

func ExampleMiddleware() {
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := sesame.New(sesame.Config{
		APIOrigin:       "https://api.example.com",
		FrontendOrigins: []string{"https://app.example.com"},
		Keys:            [][]byte{[]byte("example-key-0123456789abcdefghijklmnopq")},
		Store:           store,
	})
	if err != nil {
		log.Fatal(err)
	}
	// README begins
	r := gin.New()
	r.Use(ginsesame.Middleware(st)) // on the engine: preflights to any path are answered
	r.POST("/api/login", func(c *gin.Context) {
		s := ginsesame.Session(c) // session.From(c) works too
		if err := s.Regenerate(); err != nil {
			c.String(http.StatusServiceUnavailable, "try again")
			return
		}
		s.SetUser("alice")
		c.JSON(http.StatusOK, gin.H{"user": "alice"})
	})
	_ = http.Handler(r) // r.Run(":8080")
	// README ends
	// Output:
}

// The wrong way: converting sesame to gin middleware by swapping c.Request
// alone. gin's handlers write through c.Writer, past the writer the session
// wrapped: login answers 200 without its cookie, and nothing is logged.
func ExampleMiddleware_wrongWay() {
	wrong := func(st *sesame.Stack) gin.HandlerFunc {
		return func(c *gin.Context) {
			st.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				c.Request = r // c.Writer still bypasses the session's writer
				c.Next()
			})).ServeHTTP(c.Writer, c.Request)
		}
	}
	_ = wrong // use ginsesame.Middleware(st) instead
	// Output:
}
