package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sesame-go/sesame/bench/internal/parse"
)

// proc is a process the driver started, pinned to one CPU; it is stopped by
// its PID, never by name.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

var (
	procsMu sync.Mutex
	procs   []*proc
)

// start runs argv pinned to cpu (taskset execs the program, so the PID is the
// program's) and waits until it prints every line prefix in want, returning
// the rest of each such line.
func start(name, cpu, dir string, env []string, want []string, argv ...string) (*proc, map[string]string, error) {
	cmd := exec.Command("taskset", append([]string{"-c", cpu}, argv...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	procsMu.Lock()
	procs = append(procs, p)
	procsMu.Unlock()
	go func() { cmd.Wait(); close(p.done) }()

	got := make(map[string]string)
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			for _, w := range want {
				if v, ok := strings.CutPrefix(line, w); ok && len(got) < len(want) {
					got[w] = strings.TrimSpace(v)
					if len(got) == len(want) {
						close(ready)
					}
				}
			}
		}
		io.Copy(io.Discard, out)
	}()
	if len(want) == 0 {
		close(ready)
	}
	select {
	case <-ready:
		return p, got, nil
	case <-p.done:
		return nil, nil, fmt.Errorf("%s exited before it was ready", name)
	case <-time.After(60 * time.Second):
		p.stop()
		return nil, nil, fmt.Errorf("%s not ready within 60s", name)
	}
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM, then SIGKILL after 5 seconds.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// stopAll stops every process the driver started, newest first.
func stopAll() {
	procsMu.Lock()
	defer procsMu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].stop()
	}
	procs = nil
}

// cpuTicks returns utime+stime of pid (all its threads), in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parse.StatTicks(string(b))
}

// rss returns the resident set size of pid in bytes.
func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parse.StatusRSS(string(b))
}

// clockTicks is CLK_TCK, the unit of /proc/PID/stat times.
func clockTicks() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			return v
		}
	}
	return 100
}
