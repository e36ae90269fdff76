// Package doctor is sesame's catalogue of cross-origin cookie misconfigurations.
// Every rule has a stable id (SES001…), the symptom a developer sees, its cause and
// its fix. The same rules are reported at construction (as *Problem errors joined by
// each stage's New), per request in the running server (logged once per cause), and
// by `sesame doctor`, which probes any backend from outside as a browser would.
package doctor
