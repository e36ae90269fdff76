// Package check says what load each contestant of the benchmark receives and
// verifies, over HTTP, that every contestant answers that load correctly. The
// driver runs it against the real servers before any load (a contestant that
// answers 401 or forgets a CORS header would otherwise look fast), and the
// package's tests run it on every `go test`, Express included.
package check
