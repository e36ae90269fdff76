package connectredis_test

import (
	"log"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// expressCompatible is docs/migrating-from-express.md's Express-compatible mode,
// verbatim between the markers, so that it compiles and checks its errors (the
// root's TestDocsCodeBlocks keeps the two equal). It is not run: it would listen
// on :8080.
func expressCompatible(mux *http.ServeMux) {
	// docs: docs/migrating-from-express.md express-compatible mode begins
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	cookie := express.CookieOptions{MaxAge: 24 * time.Hour} // express-session's `cookie` option
	store, err := connectredis.New(connectredis.Config{Client: client, Cookie: cookie})
	if err != nil {
		log.Fatal(err) // e.g. SES040: the client does not give up on a deadline
	}
	cfg, err := express.SessionConfig(store, express.Options{
		Secrets: []string{os.Getenv("SESSION_SECRET")}, // express-session's `secret` (array: first signs)
		Cookie:  cookie,
	})
	if err != nil {
		log.Fatal(err) // every problem at once, each with its rule id
	}
	sessions, err := session.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(":8080", sessions.Handler(mux)))
	// docs: docs/migrating-from-express.md express-compatible mode ends
}

// upgrade is the same guide's dual-read window (step 1 of moving to the native
// format), verbatim between the markers.
func upgrade(client redis.UniversalClient, cookie express.CookieOptions, expressSecrets []string, stack *sesame.Stack, mux *http.ServeMux) http.Handler {
	// docs: docs/migrating-from-express.md upgrader begins
	old, err := connectredis.New(connectredis.Config{Client: client, Cookie: cookie})
	if err != nil {
		log.Fatal(err)
	}
	format, err := express.NewFormat(expressSecrets)
	if err != nil {
		log.Fatal(err) // an empty secret
	}
	up, err := express.NewUpgrader(express.UpgraderConfig{Format: format, Store: old, Cookie: cookie})
	if err != nil {
		log.Fatal(err)
	}
	handler := stack.Handler(up.Handler(mux)) // Upgrader inside the session stage
	// docs: docs/migrating-from-express.md upgrader ends
	return handler
}

var _, _ = expressCompatible, upgrade
