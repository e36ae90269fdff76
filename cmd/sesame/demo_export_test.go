package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// Exports for the black-box tests in package main_test.

var (
	LoadKeys      = loadKeys
	CheckPassword = checkPassword
)

// DemoConfig is the parsed command line, for tests that look at derived defaults.
type DemoConfig = demoConfig

// ParseDemoFlags parses demo flags with usage output discarded.
func ParseDemoFlags(args []string) (DemoConfig, error) { return parseDemoFlags(args, io.Discard) }

// DemoHandlers builds the demo from its command line as `sesame demo` does, without
// listening: the API handler, the front-end handler (nil with --app-addr ""), the
// derived policy, and a function that releases the store.
func DemoHandlers(ctx context.Context, args []string, logger *slog.Logger) (api, app http.Handler, explain string, closeFn func(), err error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := parseDemoFlags(args, io.Discard)
	if err != nil {
		return nil, nil, "", nil, err
	}
	d, err := newDemoServer(ctx, cfg, logger)
	if err != nil {
		return nil, nil, "", nil, err
	}
	return d.api, d.app, d.explain, d.close, nil
}

// Run is the command line, for black-box tests of one command against another.
var Run = run

// NewTestPKI makes a throwaway CA and a leaf for *.example.test, *.site-a.test,
// *.site-b.test, localhost and 127.0.0.1, and returns their PEM files.
func NewTestPKI(t *testing.T) (caFile, certFile, keyFile string) {
	p := newTestPKI(t)
	return p.caFile, p.certFile, p.keyFile
}

// DemoHandlersOtel is DemoHandlers with --otel-stdout writing to out.
func DemoHandlersOtel(ctx context.Context, args []string, out io.Writer) (api http.Handler, closeFn func(), err error) {
	cfg, err := parseDemoFlags(args, io.Discard)
	if err != nil {
		return nil, nil, err
	}
	cfg.otelOut = out
	d, err := newDemoServer(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	return d.api, d.close, nil
}
