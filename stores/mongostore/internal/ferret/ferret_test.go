//go:build unix

package ferret_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sesame-go/sesame/stores/mongostore/internal/ferret"
)

// exe is the server, built once by TestMain.
var exe string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if e := os.Getenv(childEnv); e != "" { // the child of TestNoServerLeftBehindOnPanic
		exe = e
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "ferret-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if exe, err = ferret.Build(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// alive reports whether pid is a process that has not ended (a zombie has).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !os.IsNotExist(err) // no /proc: trust kill(0)
	}
	// pid (comm) state ...: comm may hold spaces, the state follows the last ')'.
	s := string(stat)
	rest := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(rest) > 0 && rest[0] != "Z" && rest[0] != "X"
}

// gone waits up to ten seconds for pid to end. It waits for another process; it
// asserts nothing about speed.
func gone(pid int) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return false
}

func dial(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil {
		c.Close()
	}
	return err
}

// Kill ends the process by PID; Restart serves the same address and directory
// again; Stop ends it too.
func TestKillRestartStop(t *testing.T) {
	dir := t.TempDir()
	s, err := ferret.Start(exe, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	if err := dial(s.Addr()); err != nil {
		t.Fatalf("dial %s after Start: %v", s.Addr(), err)
	}
	if got, want := s.URL(), "mongodb://"+s.Addr()+"/"; got != want {
		t.Errorf("URL: got %q, want %q", got, want)
	}
	s.Kill()
	if alive(s.PID()) {
		t.Fatalf("process %d after Kill: got alive, want ended", s.PID())
	}
	if err := dial(s.Addr()); err == nil {
		t.Errorf("dial %s after Kill: got a connection, want none", s.Addr())
	}
	s2, err := s.Restart()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s2.Stop)
	if s2.Addr() != s.Addr() || s2.Dir() != dir {
		t.Errorf("Restart: got %s in %s, want %s in %s", s2.Addr(), s2.Dir(), s.Addr(), dir)
	}
	if err := dial(s2.Addr()); err != nil {
		t.Fatalf("dial %s after Restart: %v", s2.Addr(), err)
	}
	s2.Stop()
	if alive(s2.PID()) {
		t.Errorf("process %d after Stop: got alive, want ended", s2.PID())
	}
	s2.Stop() // idempotent
}

// A second server cannot take an address in use: Start says so, with the
// server's own message, and leaves no process behind.
func TestStartOnBusyAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s, err := ferret.Start(exe, l.Addr().String(), t.TempDir())
	if err == nil {
		s.Stop()
		t.Fatalf("Start on %s, which is in use: got a server, want an error", l.Addr())
	}
	if !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Start on a busy address: got %v, want the server's bind error", err)
	}
}

const childEnv = "FERRET_TEST_PANIC_CHILD_EXE"

// A test binary that panics (as a failing test or -timeout does) leaves no
// server behind: the server reads its standard input from the test process and
// ends when that closes. The test runs itself as the child that panics.
func TestNoServerLeftBehindOnPanic(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		s, err := ferret.Start(exe, "", filepath.Join(os.TempDir(), "ferret-panic-child-"+strconv.Itoa(os.Getpid())))
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("pid " + strconv.Itoa(s.PID()) + " dir " + s.Dir() + "\n")
		panic("the child test panics with its FerretDB running, as intended")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoServerLeftBehindOnPanic$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+exe)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid, dir := 0, ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 4 && f[0] == "pid" && f[2] == "dir" {
			pid, _ = strconv.Atoi(f[1])
			dir = f[3]
		}
	}
	err = cmd.Wait()
	if dir != "" {
		t.Cleanup(func() { os.RemoveAll(dir) })
	}
	if pid == 0 {
		t.Fatalf("the child test printed no server PID (exit: %v)", err)
	}
	if err == nil {
		t.Fatalf("the child test: got exit status 0, want the panic's")
	}
	if !gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL) // this test's own server, by PID
		t.Fatalf("server process %d after its test binary panicked: got alive after 10s, want ended", pid)
	}
}
