package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sesame-go/sesame/cookie"
)

// keys returns sesame's signing keys and sets d.keyFile to where they are kept.
// With --store memory and no --secret-file nothing outlives the process, so the
// key is generated for this run only and no data directory is made: the demo
// leaves nothing behind. Otherwise --secret-file holds them, or DATA-DIR/secret.key
// (generated if missing); with --compat express, --secret-file holds the Express
// secrets instead and sesame's key stays in the data directory.
func (d *demoServer) keys() ([][]byte, error) {
	cfg := d.cfg
	if cfg.Store == "memory" && cfg.SecretFile == "" && cfg.Compat == "" {
		d.keyFile = "generated for this run (--store memory keeps nothing; --secret-file keeps a key)"
		return [][]byte{randomBytes(cookie.MinKeyLen)}, nil
	}
	// The bolt store's file and the generated key live in directories that may
	// not exist yet; make only those.
	if path, ok := strings.CutPrefix(cfg.Store, "bolt:"); ok && path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	d.keyFile = cfg.SecretFile
	if d.keyFile == "" || cfg.Compat != "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
		d.keyFile = filepath.Join(cfg.DataDir, "secret.key")
	}
	return loadKeys(d.keyFile, d.keyFile != cfg.SecretFile)
}

// frontOrigin is the address the banner tells the user to open: the origin this
// demo's front end has in the browser. That is its listen address when that
// origin is an allowed front end; when the allowed front ends were configured
// (--frontend-origin, e.g. https://app.example.com on a proxy in front of
// --app-addr), the browser must open one of them, since only they may call the
// API with credentials: the first.
func (d *demoServer) frontOrigin() string {
	local, _ := originOf(d.cfg.AppAddr)
	if slices.Contains(d.cfg.FrontendOrigins, local) {
		return local
	}
	for _, o := range d.cfg.FrontendOrigins {
		if !strings.Contains(o, "*") { // a pattern is no address to open
			return o
		}
	}
	return local
}
