package main_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ferretCommand is mongostore's test server: FerretDB v1 on SQLite, a MongoDB
// wire-protocol server. It is built as its own program, so FerretDB is never a
// dependency of this module; the workspace (go.work) resolves it.
const ferretCommand = "github.com/sesame-go/sesame/stores/mongostore/internal/ferret/ferretdb"

// buildFerret builds the test server into dir, without the race detector.
func buildFerret(t *testing.T, dir string) string {
	t.Helper()
	exe := filepath.Join(dir, "ferretdb")
	if out, err := exec.Command("go", "build", "-race=false", "-o", exe, ferretCommand).CombinedOutput(); err != nil {
		t.Fatalf("go build %s (run the tests inside the repository's go.work workspace): %v\n%s", ferretCommand, err, out)
	}
	return exe
}

// startFerret runs the test server on addr ("127.0.0.1:0": a free port) with its
// data in a directory of the test, and returns its host:port and process. The
// test stops it by PID; were the test binary to die first, the server ends when
// its standard input (a pipe from this process) closes.
func startFerret(t *testing.T, exe, addr string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(exe, "-listen", addr, "-dir", t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	// Its first line is its mongodb:// URL, written once it listens.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	host, ok := strings.CutPrefix(strings.TrimSpace(line), "mongodb://")
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("FerretDB on %s: got first line %q (%v), want its URL; stderr: %s", addr, line, err, stderr.String())
	}
	return strings.TrimSuffix(host, "/"), cmd
}

// The demo on --store mongodb://…, against a real MongoDB wire-protocol server.
func TestDemoMongoStore(t *testing.T) {
	exe := buildFerret(t, t.TempDir())
	t.Run("Up", func(t *testing.T) { testDemoMongoUp(t, exe) })
	t.Run("StartsWhileDown", func(t *testing.T) { testDemoMongoStartsWhileDown(t, exe) })
}

// Sessions work, the collection is made in the database the URL names, and a
// server that goes away turns /readyz and session requests into 503s.
func testDemoMongoUp(t *testing.T, exe string) {
	addr, ferret := startFerret(t, exe, "127.0.0.1:0")
	db := "sesame_demo_" + hex.EncodeToString(randBytes(4))
	srv := demoServer(t, "--store=mongodb://"+addr+"/"+db)
	b := newBrowser(t, srv)
	b.want("GET", "/readyz", nil, 200)
	b.want("GET", "/api/me", nil, 401)
	b.login("alice", "wonderland")
	b.want("PUT", "/api/prefs/theme", map[string]any{"value": "dark"}, 204)
	if got := b.want("GET", "/api/prefs", nil, 200).body["prefs"].(map[string]any)["theme"]; got != "dark" {
		t.Errorf("prefs.theme: got %v, want dark", got)
	}
	if got := len(b.want("GET", "/api/sessions", nil, 200).body["sessions"].([]any)); got != 1 {
		t.Errorf("alice's sessions: got %d, want 1", got)
	}

	// The session is a document in the database named by the URL's path.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI("mongodb://" + addr + "/").SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	dbs, err := client.ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(dbs, db) {
		t.Errorf("databases: got %v, want %s (from the --store URL's path)", dbs, db)
	}
	colls, err := client.Database(db).ListCollectionNames(ctx, bson.D{})
	if err != nil || len(colls) != 1 {
		t.Fatalf("collections of %s: got %v (%v), want the sessions collection", db, colls, err)
	}
	if n, err := client.Database(db).Collection(colls[0]).CountDocuments(ctx, bson.D{}); err != nil || n != 1 {
		t.Errorf("documents in %s.%s: got %d (%v), want alice's session", db, colls[0], n, err)
	}

	ferret.Process.Kill() // by PID: this test's own server
	ferret.Wait()
	b.want("GET", "/readyz", nil, 503)
	r := b.want("GET", "/api/me", nil, 503)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("store outage Content-Type: got %q, want application/problem+json", ct)
	}
}

// A MongoDB that is down when the demo starts is not fatal: /readyz answers 503
// until it answers, and sessions work once it does.
func testDemoMongoStartsWhileDown(t *testing.T, exe string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	srv := demoServer(t, "--store=mongodb://"+addr+"/sesame_demo_down")
	b := newBrowser(t, srv)
	b.want("GET", "/readyz", nil, 503)

	startFerret(t, exe, addr)
	waitFor(t, "/readyz 200 once FerretDB listens on "+addr, func() bool { return b.do("GET", "/readyz", nil).status == 200 })
	b.login("alice", "wonderland")
	b.want("GET", "/api/me", nil, 200)
}

func randBytes(n int) []byte {
	p := make([]byte, n)
	rand.Read(p)
	return p
}
