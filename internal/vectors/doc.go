// Package vectors reads the Express interop vectors: JSON files that the real
// Node packages (express-session, connect-redis, cookie-parser,
// cookie-signature) produced, committed under compat/express/testdata/vectors
// together with the program that generates them (testdata/vectorgen, run by
// `make vectors`). Every test that checks sesame against Express reads them
// through this package, into the typed structs below; the format is documented
// in testdata/vectors/README.md.
//
// It uses only the standard library and is meant for tests.
package vectors
