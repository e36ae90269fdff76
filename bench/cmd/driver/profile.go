package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// profile is the top of a CPU profile taken under load.
type profile struct {
	t   *target
	top []string
}

// profile loads t while the server records a CPU profile, and returns the top
// entries of `go tool pprof -top` (flat) and of its cumulative view.
func (b *bench) profile(t *target) ([]string, error) {
	secs := 10
	if b.cfg.quick {
		secs = 3
	}
	file := filepath.Join(b.cfg.work, "cpu-"+t.c.Name+"-"+t.load.Endpoint+".prof")
	errc := make(chan error, 1)
	go func() {
		res, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", t.srv.admin, secs))
		if err != nil {
			errc <- err
			return
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			errc <- fmt.Errorf("pprof: status %d", res.StatusCode)
			return
		}
		f, err := os.Create(file)
		if err != nil {
			errc <- err
			return
		}
		_, err = io.Copy(f, res.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		errc <- err
	}()
	if _, err := runWrk(b.cfg, t.srv.base, t.load, t.cookies, time.Duration(secs+1)*time.Second); err != nil {
		return nil, err
	}
	if err := <-errc; err != nil {
		return nil, err
	}
	// Only the samples under sesame's own code: the rest (net/http's
	// syscalls) is the same for /bare.
	var out []string
	for _, mode := range [][]string{{"-top", "-cum"}, {"-top"}} {
		args := append([]string{"tool", "pprof"}, mode...)
		args = append(args, "-nodecount=22", "-focus="+sesameCode, file)
		cmd := exec.Command("go", args...)
		cmd.Dir = b.cfg.dir
		o, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go tool pprof: %w", err)
		}
		out = append(out, trimHeader(string(o)))
	}
	logf("profiled %s %s: %s", t.load.Method, t.load.Path, file)
	return out, nil
}

// sesameCode matches the functions of sesame's packages a contestant runs.
const sesameCode = `github\.com/sesame-go/sesame/(session|stores|cookie|cors|csrf|proxy)`

// trimHeader drops pprof's File, Build ID and Time lines.
func trimHeader(s string) string {
	var keep []string
	for line := range strings.Lines(s) {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Time:") || strings.HasPrefix(line, "Type:") {
			continue
		}
		keep = append(keep, strings.TrimRight(line, "\n"))
	}
	return strings.Join(keep, "\n")
}
