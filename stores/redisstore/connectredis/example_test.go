package connectredis_test

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// A Go API joins an Express deployment: same Redis, same secrets, same cookie
// options as the Express app's express-session and RedisStore.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	cookie := express.CookieOptions{MaxAge: 24 * time.Hour}
	store, err := connectredis.New(connectredis.Config{Client: client, Cookie: cookie})
	if err != nil {
		panic(err)
	}
	cfg, err := express.SessionConfig(store, express.Options{Secrets: []string{os.Getenv("SESSION_SECRET")}, Cookie: cookie})
	if err != nil {
		panic(err)
	}
	sessions, err := session.New(cfg)
	if err != nil {
		panic(err)
	}
	_ = http.ListenAndServe(":8080", sessions.Handler(http.NotFoundHandler()))
}

// A client without ContextTimeoutEnabled would hold requests past the
// Manager's StoreTimeout when Redis stops answering: New refuses it.
func ExampleNew_wrong() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	_, err := connectredis.New(connectredis.Config{Client: client})
	fmt.Println(err)
	// Output: SES040: connectredis: the Redis client has ContextTimeoutEnabled false, so a Redis that stops answering holds requests past the Manager's StoreTimeout; fix: set ContextTimeoutEnabled: true in the client's options
}
