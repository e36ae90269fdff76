// Package parse reads what the benchmark driver's tools print: the result
// line of its wrk script, Redis INFO sections, /proc/PID/stat and
// /proc/PID/status, and `go test -bench -benchmem` output. Each parser takes
// text it did not write, so each is fuzzed, and each refuses what it cannot
// read rather than guessing.
package parse
