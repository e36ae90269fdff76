package main

import (
	"context"
	"fmt"
	"io"
)

// demo is not built yet: it arrives with its own issue ("sesame demo and
// real-browser tests"). It says so instead of pretending.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "sesame demo: not built yet; it arrives with the issue \"`sesame demo` and real-browser tests\".")
	return 1
}
