package cookie

import "github.com/sesame-go/sesame/doctor"

// Rules this package reports that the doctor catalogue does not name yet. They
// take the next free numbers; the constants move to package doctor when the
// catalogue lists them.
const (
	// RuleInvalidSyntax: a cookie name, value or attribute the browser refuses
	// (RFC 6265bis §4.1.1 grammar; a Path that does not start with "/").
	RuleInvalidSyntax = doctor.CookieSyntax
	// RulePartitionedWithoutSecure: Partitioned (CHIPS) without Secure; the
	// browser drops the cookie.
	RulePartitionedWithoutSecure = doctor.PartitionedNoSecure
)
