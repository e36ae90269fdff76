package sesame_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDepsScript: scripts/deps.sh, which `make test` runs first, names every
// missing system package and the command that installs them in one message,
// and lets the run go on when all are there. SESAME_NO_INSTALL keeps it from
// calling apt-get when the test runs as root.
func TestDepsScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs(filepath.Join("scripts", "deps.sh"))
	if err != nil {
		t.Fatal(err)
	}
	commands := []string{"chromium", "nginx", "openssl", "redis-server", "redis-cli", "psql", "pg_ctlcluster", "node", "npm", "git"}
	packages := []string{"chromium", "nginx", "openssl", "redis-server", "redis-tools", "postgresql", "nodejs", "npm", "git"}

	run := func(t *testing.T, present []string) (string, error) {
		t.Helper()
		dir := t.TempDir()
		for _, c := range present {
			if err := os.WriteFile(filepath.Join(dir, c), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(bash, script)
		cmd.Env = []string{"PATH=" + dir, "SESAME_NO_INSTALL=1"}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}

	t.Run("all present", func(t *testing.T) {
		if out, err := run(t, commands); err != nil || out != "" {
			t.Fatalf("got (%q, %v), want silence and success", out, err)
		}
	})
	t.Run("none present", func(t *testing.T) {
		out, err := run(t, nil)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("got %v, want exit status 1", err)
		}
		if strings.Count(out, "\n") != 1 || !strings.Contains(out, "apt-get install") {
			t.Fatalf("got %q, want one line naming the install command", out)
		}
		for _, p := range packages {
			if !strings.Contains(out, " "+p) {
				t.Errorf("got %q, want it to name %s", out, p)
			}
		}
	})
	t.Run("one missing", func(t *testing.T) {
		out, err := run(t, commands[1:])
		if err == nil || !strings.Contains(out, "missing chromium;") || !strings.Contains(out, "--no-install-recommends chromium (") {
			t.Fatalf("got (%q, %v), want chromium named alone", out, err)
		}
	})
}
