package connectredis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/redisstore/connectredis"
)

// Session.Regenerate calls Move: the record Express wrote moves to a new ID,
// with the request's change, and a Delete of the old ID (a logout that loaded
// the session before the rotation) still ends the new one.
func ExampleStore_Move() {
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	defer client.Close()
	prefix := "example-move:" + express.NewID()[:8] + ":"
	store, err := connectredis.New(connectredis.Config{Client: client, Prefix: prefix + "sess:", ForwardPrefix: prefix + "fwd:"})
	if err != nil {
		panic(err)
	}
	oldID, newID := express.NewID(), express.NewID()
	err = client.Set(ctx, prefix+"sess:"+oldID, `{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"cart":[1,2]}`, time.Hour).Err()
	if err != nil {
		panic(err)
	}
	rec, _, err := store.Load(ctx, oldID)
	if err != nil {
		panic(err)
	}
	m := rec.Meta
	m.User = "alice" // signed in: rotate the ID (OWASP)
	moved, err := store.Move(ctx, oldID, newID, session.Patch{Meta: m, Set: map[string]json.RawMessage{"step": json.RawMessage(`2`)}})
	if err != nil {
		panic(err)
	}
	fmt.Println("moved:", moved)
	fmt.Println(client.Get(ctx, prefix+"sess:"+newID).Val())

	if err := store.Delete(ctx, oldID); err != nil { // the old ID's logout
		panic(err)
	}
	_, found, err := store.Load(ctx, newID)
	if err != nil {
		panic(err)
	}
	fmt.Println("new ID live after the old one's logout:", found)
	// Output:
	// moved: true
	// {"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"cart":[1,2],"step":2,"passport":{"user":"alice"}}
	// new ID live after the old one's logout: false
}

// ForwardPrefix must stay out of Prefix: Express would read a forwarding mark
// under its prefix as a session.
func ExampleConfig_forwardPrefix_wrong() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true})
	defer client.Close()
	_, err := connectredis.New(connectredis.Config{Client: client, ForwardPrefix: "sess:moved:"})
	fmt.Println(err)
	// Output: SES041: connectredis: Config.ForwardPrefix "sess:moved:" and Config.Prefix "sess:" overlap, so Express would read forwarding marks as sessions (or a mark could take a session's key); fix: choose a ForwardPrefix that neither starts with Prefix nor is the start of it; leave it empty for "sesame-fwd:"
}
