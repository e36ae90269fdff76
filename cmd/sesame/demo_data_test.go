package main_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	main "github.com/sesame-go/sesame/cmd/sesame"
)

// bannerWriter collects the demo's stdout and says when the first line came.
type bannerWriter struct {
	mu      sync.Mutex
	b       bytes.Buffer
	started chan struct{}
	once    sync.Once
}

func (w *bannerWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.started) })
	return w.b.Write(p)
}

// runDemo runs `sesame demo args...` in dir until it has printed its banner,
// then stops it, and returns what it printed.
func runDemo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &bannerWriter{started: make(chan struct{})}
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- main.Run(ctx, append([]string{"demo", "--api-addr=" + freeAddr(t)}, args...), out, &stderr)
	}()
	select {
	case <-out.started:
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("demo %v: exit %d: %s", args, code, stderr.String())
		}
	case code := <-done:
		t.Fatalf("demo %v: exit %d before the banner: %s", args, code, stderr.String())
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	return out.b.String()
}

// freeAddr is a loopback address nothing listens on (the demo's origins need a
// real port, so :0 will not do).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// The demo writes only what it has to keep: a memory store keeps nothing, so no
// .sesame directory; the default bolt store keeps its file and the key.
func TestDemoLeavesNoLitter(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"memory", []string{"--store=memory"}, nil},
		{"memory, API only", []string{"--store=memory", "--app-addr="}, nil},
		{"bolt default", nil, []string{".sesame"}},
		{"bolt elsewhere", []string{"--store=bolt:db/s.db", "--data-dir=keys"}, []string{"db", "keys"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			banner := runDemo(t, dir, append([]string{"--app-addr=" + freeAddr(t)}, tt.args...)...)
			if got := entries(t, dir); !slices.Equal(got, tt.want) {
				t.Fatalf("files left in the working directory: got %v, want %v\n%s", got, tt.want, banner)
			}
		})
	}
}

// The banner names the front end the browser should open: its own listen
// address when that is an allowed origin, else the configured front end (the
// https one behind a proxy), never an origin the API would refuse.
func TestDemoBannerNamesTheFrontEnd(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, "front end  http://APP  (open this"},
		{"behind a proxy", []string{"--frontend-origin=https://app.example.com", "--public-origin=https://api.example.com", "--trust-proxy=loopback"},
			"front end  https://app.example.com  (open this; listening on APP)"},
		{"its own origin among others", []string{"--frontend-origin=https://app.example.com,http://APP"}, "front end  http://APP  (open this"},
		{"a pattern first", []string{"--frontend-origin=https://*.example.com,https://www.example.com", "--public-origin=https://api.example.com"},
			"front end  https://www.example.com  (open this"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := freeAddr(t)
			args := []string{"--store=memory", "--app-addr=" + app}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "APP", app))
			}
			banner := runDemo(t, t.TempDir(), args...)
			if want := strings.ReplaceAll(tt.want, "APP", app); !strings.Contains(banner, want) {
				t.Fatalf("got banner\n%s\nwant a line holding %q", banner, want)
			}
		})
	}
}
