package cookie

import "github.com/sesame-go/sesame/doctor"

// Rules this package reports beyond the original catalogue, under the names
// this package's callers and tests use. The ids live in package doctor.
const (
	// RuleInvalidSyntax: a cookie name, value or attribute the browser refuses
	// (RFC 6265bis §4.1.1 grammar; a Path that does not start with "/").
	RuleInvalidSyntax = doctor.CookieSyntax
	// RulePartitionedWithoutSecure: Partitioned (CHIPS) without Secure; the
	// browser drops the cookie.
	RulePartitionedWithoutSecure = doctor.PartitionedNoSecure
)
