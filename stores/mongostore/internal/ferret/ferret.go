// Package ferret runs FerretDB v1 (a MongoDB wire-protocol server written in Go,
// here on its SQLite backend) for the store's tests: a real server on a free
// loopback port, its data in a temporary directory, stopped by PID at the end.
//
// The server is a separate process (the command in ./ferretdb), built once per
// test run with a plain go build. Embedded in the test binary it would run under
// the race detector with the tests, instrumented along with its SQLite, and the
// suite took over ten minutes under -race on a loaded machine.
//
// Only test files import this package, and it does not import FerretDB: FerretDB
// never enters the build of a program that uses mongostore (go list -deps
// github.com/sesame-go/sesame/stores/mongostore does not list it).
package ferret

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Command is the import path of the server's main package.
const Command = "github.com/sesame-go/sesame/stores/mongostore/internal/ferret/ferretdb"

// startTimeout bounds how long Start waits for the server to listen.
const startTimeout = 30 * time.Second

// Build compiles the server into dir with `go build`, without the race detector
// even when the tests run with it, and returns the executable's path. The go
// command's build cache makes every build after the first one a link.
func Build(ctx context.Context, dir string) (string, error) {
	exe := filepath.Join(dir, "ferretdb")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-race=false", "-o", exe, Command)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", Command, err, out)
	}
	return exe, nil
}

// A Server is one running FerretDB process.
type Server struct {
	exe, dir string
	url      string
	cmd      *exec.Cmd
	stdin    io.Closer     // its end of the server's standard input
	stderr   *tailBuffer   // the end of what the server wrote on standard error
	exited   chan struct{} // closed once the process is reaped
	waitErr  error         // set before exited is closed
	stopOnce sync.Once
}

// Start runs the server built at exe on addr ("" or "127.0.0.1:0": a free
// loopback port; otherwise that address, as when a test restarts a server on the
// port its clients know), with its SQLite files under dir, and returns once it
// accepts connections.
//
// The server also stops when the process that started it ends (its standard
// input is a pipe from this process), so a test that panics or times out leaves
// no server behind.
func Start(exe, addr, dir string) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s := &Server{exe: exe, dir: dir, stderr: &tailBuffer{max: 4 << 10}, exited: make(chan struct{})}
	s.cmd = exec.Command(exe, "-listen", addr, "-dir", dir)
	s.cmd.Stderr = s.stderr
	// Pipes of our own, not the ones exec.Cmd makes, so that Wait never closes
	// them under a reader: the server reads its stdin until this process ends
	// (or Stop closes it), and writes its URL on stdout.
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	s.cmd.Stdin, s.cmd.Stdout = inR, outW
	err = s.cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	s.stdin = inW
	stdout := outR
	// The first line is its URL, written once it listens; the rest is drained
	// so that the server never blocks on a full pipe.
	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		first <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, r)
		stdout.Close()
	}()
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	select {
	case line := <-first:
		u, err := url.Parse(line)
		if err == nil && u.Scheme == "mongodb" && u.Host != "" {
			s.url = line
			return s, nil
		}
		s.Kill()
		return nil, fmt.Errorf("ferretdb -listen %s: got %q as its first line, want its mongodb:// URL (%v); stderr: %s", addr, line, s.waitErr, s.stderr)
	case <-time.After(startTimeout):
		s.Kill()
		return nil, fmt.Errorf("ferretdb -listen %s: not listening after %v; stderr: %s", addr, startTimeout, s.stderr)
	}
}

// URL is the server's mongodb:// connection string.
func (s *Server) URL() string { return s.url }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string {
	u, _ := url.Parse(s.url)
	return u.Host
}

// Dir is the directory of its data.
func (s *Server) Dir() string { return s.dir }

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Restart starts the same server again on the same address and data, after Stop
// or Kill.
func (s *Server) Restart() (*Server, error) { return Start(s.exe, s.Addr(), s.dir) }

// Stop asks the server to finish (SIGTERM; it closes its listener and every
// connection), kills it if it has not ended within ten seconds, and waits for the
// process to end. It is idempotent.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			_ = s.cmd.Process.Kill()
		}
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		_ = s.stdin.Close()
	})
	<-s.exited
}

// Kill ends the server at once, by PID with SIGKILL (a crash: requests in flight
// get a closed connection), and waits for the process to end. It is idempotent,
// and Stop after it does nothing.
func (s *Server) Kill() {
	s.stopOnce.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
		_ = s.stdin.Close()
	})
	<-s.exited
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}
