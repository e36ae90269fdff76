// Package doctor is sesame's catalogue of cross-origin cookie misconfigurations,
// its documentation generator, and a prober that behaves as a browser would.
//
// Every rule has a stable id and title (package problem), and here the symptom a
// developer sees, its cause and its fix, with and without sesame. The same rules
// are reported at construction (as *problem.Problem errors joined by each stage's
// New), per request in the running server (logged once per cause), and by
// `sesame doctor` (Probe), which probes any backend from outside. The prober judges
// each Set-Cookie with package cookie's rules and each relation between the front
// end and the API with package origin's, the same ones the library applies.
//
// No library package imports doctor: only the command and tests do.
package doctor
