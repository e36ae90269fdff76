// Package ferret starts an embedded FerretDB v1 (a MongoDB wire-protocol server
// written in Go, here on its SQLite backend) for the store's tests: a real server
// on a free loopback port, its data in a temporary directory, stopped at the end.
//
// Only test files import it, so FerretDB never enters the build of a program that
// uses mongostore (go list -deps github.com/sesame-go/sesame/stores/mongostore
// does not list it).
package ferret

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// A Server is one embedded FerretDB.
type Server struct {
	addr string // host:port it listens on
	dir  string
	stop context.CancelFunc
	done chan error
}

// Start runs a FerretDB on addr ("127.0.0.1:0" picks a free port) with its SQLite
// files under dir, and waits until it accepts connections.
func Start(addr, dir string) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if addr == "127.0.0.1:0" {
		a, err := freePort()
		if err != nil {
			return nil, err
		}
		addr = a
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return nil, fmt.Errorf("ferretdb: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{addr: addr, dir: dir, stop: stop, done: make(chan error, 1)}
	go func() { s.done <- f.Run(ctx) }()
	if err := waitListening(addr, 10*time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// URL is the server's mongodb:// connection string.
func (s *Server) URL() string { return "mongodb://" + s.addr + "/" }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.addr }

// Dir is the directory of its data.
func (s *Server) Dir() string { return s.dir }

// Stop closes the listener and every connection and waits for the server to end.
// It is idempotent.
func (s *Server) Stop() {
	s.stop()
	if err, ok := <-s.done; ok {
		_ = err
		close(s.done)
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitListening(addr string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return errors.Join(fmt.Errorf("ferretdb did not listen on %s within %v", addr, max), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
