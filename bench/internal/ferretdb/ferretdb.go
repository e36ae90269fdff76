// Package ferretdb runs an embedded FerretDB v1 (a MongoDB wire-protocol server
// written in Go, on its SQLite backend) for the sesame-mongo contestant when no
// MongoDB is named: no MongoDB server is packaged for the benchmark machine.
//
// It lives in the bench module so that FerretDB never enters the store's own
// dependencies (mongostore's tests have their own copy of these few lines under
// its internal/).
package ferretdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Start runs a FerretDB on a free loopback port with its files under dir, waits
// until it accepts connections, and returns its mongodb:// URL and the function
// that stops it.
func Start(dir string) (url string, stop func() error, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return "", nil, fmt.Errorf("ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	stop = func() error {
		cancel()
		return <-done
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return "mongodb://" + addr + "/", stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, errors.Join(fmt.Errorf("ferretdb did not listen on %s", addr), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
