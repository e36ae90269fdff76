package main

import (
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
)

// keygen prints a fresh signing key: 32 bytes from crypto/rand, base64url.
func keygen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("bytes", 32, "key length in bytes (at least 32)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n < 32 {
		fmt.Fprintln(stderr, "sesame keygen: -bytes must be at least 32 (rule SES030)")
		return 2
	}
	fmt.Fprintln(stdout, base64.RawURLEncoding.EncodeToString(randomBytes(*n)))
	return 0
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never returns an error (Go 1.24+)
	return b
}
