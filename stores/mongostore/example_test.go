package mongostore_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// mongoURL is the server the examples use: the embedded one the tests started.
func mongoURL() string { return embedded.URL() }

// A store on the application's client: create the indexes once at start-up with
// Migrate, then hand the store to the session Manager.
func Example() {
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(mongoURL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Disconnect(ctx)

	coll := client.Database("myapp").Collection("sessions_" + hex.EncodeToString(randomBytes(4)))
	defer coll.Drop(ctx) // only for this example

	store, err := mongostore.New(mongostore.Config{Collection: coll})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close() // stops the cleanup goroutine; the client stays connected
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	now := time.Now()
	key := "Lz8mQY0vP6o2xq0cA1Dqk5cKc3sVbYtQ7Hn0WmR9e2E" // the Manager's SHA-256 of an ID
	rec := session.Record{
		Meta:   session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute, User: "ada"},
		Values: map[string]json.RawMessage{"cart": json.RawMessage(`{"items":[{"sku":"A1","qty":2}]}`)},
	}
	if err := store.Save(ctx, key, rec); err != nil {
		log.Fatal(err)
	}
	sessions, err := store.UserSessions(ctx, "ada")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sessions), "session for ada:", string(sessions[0].Record.Values["cart"]))
	// Output: 1 session for ada: {"items":[{"sku":"A1","qty":2}]}
}

// With a client, the database and collection default to sesame.sesame_sessions.
func ExampleNew_client() {
	client, err := mongo.Connect(options.Client().ApplyURI(mongoURL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	store, err := mongostore.New(mongostore.Config{Client: client, CleanupInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	fmt.Println(store.Collection().Database().Name() + "." + store.Collection().Name())
	// Output: sesame.sesame_sessions
}

// Without a collection or a client, New says what to pass.
func ExampleNew_wrong() {
	_, err := mongostore.New(mongostore.Config{CollectionName: "sessions"})
	fmt.Println(err)
	// Output:
	// SES041: mongostore: Config.Collection and Config.Client are both nil; fix: connect with mongo.Connect(options.Client().ApplyURI(url)) and pass client.Database(name).Collection(name) in Config.Collection, or the client in Config.Client
}

// Move rotates a session's key for Regenerate: the new record is built from the
// old one as it is now, and the old key is gone.
func ExampleStore_Move() {
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(mongoURL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Disconnect(ctx)
	coll := client.Database("myapp").Collection("sessions_" + hex.EncodeToString(randomBytes(4)))
	defer coll.Drop(ctx)
	store, err := mongostore.New(mongostore.Config{Collection: coll, CleanupInterval: -1})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: time.Hour}
	if err := store.Save(ctx, "old-key", session.Record{Meta: meta, Values: map[string]json.RawMessage{"theme": json.RawMessage(`"dark"`)}}); err != nil {
		log.Fatal(err)
	}
	meta.User = "ada" // signed in: a new ID
	moved, err := store.Move(ctx, "old-key", "new-key", session.Patch{Meta: meta})
	if err != nil {
		log.Fatal(err)
	}
	_, oldFound, err := store.Load(ctx, "old-key")
	if err != nil {
		log.Fatal(err)
	}
	rec, _, err := store.Load(ctx, "new-key")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(moved, oldFound, rec.User, string(rec.Values["theme"]))
	// Output: true false ada "dark"
}
