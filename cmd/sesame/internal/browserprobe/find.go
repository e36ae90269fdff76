package browserprobe

import (
	"errors"
	"fmt"
	"os/exec"
)

// ErrNoBrowser is returned by Find when no Chromium is installed under the
// usual names.
var ErrNoBrowser = errors.New("no Chromium found (looked for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH); install one or pass --browser-path")

// names are the executables a Chromium-based browser installs on Linux and macOS
// PATHs, the user's own first (Debian's chromium).
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// Find returns the browser to run: path itself when it is set (resolved on
// PATH when it has no slash), else the first of the usual Chromium names found
// on PATH. It never downloads a browser.
func Find(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("--browser-path %s: %w", path, err)
		}
		return p, nil
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}
