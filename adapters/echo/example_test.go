package echosesame_test

import (
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/sesame-go/sesame"
	echosesame "github.com/sesame-go/sesame/adapters/echo"
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
	e := echo.New()
	e.Pre(echosesame.Middleware(st)) // Pre: before routing, so preflights to any path are answered
	e.POST("/api/login", func(c echo.Context) error {
		s := echosesame.Session(c)
		if err := s.Regenerate(); err != nil {
			return err // answered by echo's error handler, with the CORS headers
		}
		s.SetUser("alice")
		return c.JSON(http.StatusOK, map[string]string{"user": "alice"})
	})
	_ = http.Handler(e) // e.Start(":8080")
	// README ends
	// Output:
}
