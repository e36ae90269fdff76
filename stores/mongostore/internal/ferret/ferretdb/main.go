// Command ferretdb runs FerretDB v1 (a MongoDB wire-protocol server written in
// Go) on its SQLite backend for mongostore's tests. The tests build it with a
// plain go build, without -race, so that under `go test -race` only sesame's code
// runs instrumented, not FerretDB's and SQLite's (package ferret starts it).
//
// It listens on -listen (port 0 picks a free one), writes its mongodb:// URL as
// one line on standard output once it accepts connections, keeps its files under
// -dir, and stops on SIGTERM or
// SIGINT, or when its standard input closes: the test process holds the other
// end of that pipe, so a test binary that panics, times out or is killed takes
// the server with it.
//
// Nothing outside the tests imports or builds it: FerretDB is not a dependency of
// a program that uses mongostore.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP `address` to listen on (port 0: a free one)")
	dir := flag.String("dir", "", "`directory` of the SQLite files (required)")
	flag.Parse()
	if err := run(*listen, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen, dir string) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		return err
	}
	// New has bound the listener: connections from now on wait in its backlog
	// until Run accepts them.
	if _, err := fmt.Println(f.MongoDBURI()); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		// EOF or an error: the process that started this one is gone.
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Run closes the listener and every connection; a shutdown that hangs must
	// not keep the process alive after its test.
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return fmt.Errorf("did not stop within 10s of being asked to")
	}
}
