package mongostore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sesame-go/sesame/stores/mongostore"
	"github.com/sesame-go/sesame/stores/mongostore/internal/ferret"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// embedded is the FerretDB the package's tests share, started by TestMain from
// the executable at ferretExe (see package ferret: a process of its own, built
// without the race detector).
var (
	embedded  *ferret.Server
	ferretExe string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "mongostore-ferretdb-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongostore tests: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ferretExe, err = ferret.Build(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongostore tests: could not build the FerretDB test server:", err)
		return 1
	}
	embedded, err = ferret.Start(ferretExe, "", filepath.Join(dir, "data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongostore tests: could not start the FerretDB test server:", err)
		return 1
	}
	defer embedded.Stop()
	return m.Run()
}

// A server is one MongoDB-protocol server the suite runs against.
type server struct {
	name string
	url  string
}

// servers are the embedded FerretDB and, when MONGODB_URL is set, that server.
func servers() []server {
	s := []server{{"ferretdb", embedded.URL()}}
	if u := os.Getenv("MONGODB_URL"); u != "" {
		s = append(s, server{"mongodb", u})
	}
	return s
}

// forEachServer runs f as a subtest once per server.
func forEachServer(t *testing.T, f func(t *testing.T, url string)) {
	for _, srv := range servers() {
		t.Run(srv.name, func(t *testing.T) { f(t, srv.url) })
	}
}

// connect returns a client of url, disconnected when tb ends. Server selection
// gives up after a few seconds, so a missing server fails the test quickly.
func connect(tb testing.TB, url string) *mongo.Client {
	tb.Helper()
	opts := options.Client().ApplyURI(url).SetServerSelectionTimeout(5 * time.Second)
	client, err := mongo.Connect(opts)
	if err != nil {
		tb.Fatalf("mongo.Connect(%s): %v", url, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = client.Disconnect(ctx)
	})
	return client
}

// newCollection returns a collection of its own, dropped when tb ends.
func newCollection(tb testing.TB, client *mongo.Client) *mongo.Collection {
	tb.Helper()
	coll := client.Database("sesame_test").Collection("s_" + hex.EncodeToString(randomBytes(6)))
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := coll.Drop(ctx); err != nil {
			tb.Logf("dropping %s: %v", coll.Name(), err)
		}
	})
	return coll
}

// newStore returns a migrated store on a fresh collection of the server at url,
// without a cleanup goroutine unless cfg asks for one.
func newStore(tb testing.TB, url string, cfg mongostore.Config) *mongostore.Store {
	tb.Helper()
	if cfg.Collection == nil && cfg.Client == nil {
		cfg.Collection = newCollection(tb, connect(tb, url))
	}
	if cfg.CleanupInterval == 0 {
		cfg.CleanupInterval = -1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := mongostore.New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return s
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
