package cookie

import "github.com/sesame-go/sesame/problem"

// Rules this package reports beyond the original catalogue, under the names
// this package's callers and tests use. The ids live in package problem.
const (
	// RuleInvalidSyntax: a cookie name, value or attribute the browser refuses
	// (RFC 6265bis §4.1.1 grammar; a Path that does not start with "/").
	RuleInvalidSyntax = problem.CookieSyntax
	// RulePartitionedWithoutSecure: Partitioned (CHIPS) without Secure; the
	// browser drops the cookie.
	RulePartitionedWithoutSecure = problem.PartitionedNoSecure
)
