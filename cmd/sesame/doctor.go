package main

import (
	"context"
	"fmt"
	"io"
)

// doctor is not built yet: it arrives with the doctor issue.
func doctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "sesame doctor: not built yet; it arrives with the issue \"The doctor\".")
	return 2
}
