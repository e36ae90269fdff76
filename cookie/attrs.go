package cookie

// SameSite is the SameSite attribute (RFC 6265bis §4.1.2.7, §5.6.7).
//
// The zero value is SameSiteLax, and it is written out: a cookie without the
// attribute is treated as Lax by Chromium (with a two-minute exception for
// top-level POSTs) but as None by Firefox and Safari, so leaving it to the browser
// gives one deployment two behaviours. Omitting it is possible, but only by
// choosing SameSiteOmit on purpose.
type SameSite uint8

const (
	// SameSiteLax sends the cookie on same-site requests and on top-level
	// cross-site navigations with a safe method. The zero value.
	SameSiteLax SameSite = iota
	// SameSiteStrict sends the cookie on same-site requests only.
	SameSiteStrict
	// SameSiteNone sends the cookie on cross-site requests too. It requires
	// Secure (RFC 6265bis §5.7 step 17; rule SES006), and third-party cookie
	// blocking may still withhold it (SES007).
	SameSiteNone
	// SameSiteOmit writes no SameSite attribute and leaves the policy to each
	// browser's default. It exists for byte-identical interop with servers that
	// omit it (express-session's default); sesame's session layer never uses it.
	SameSiteOmit
)

func (s SameSite) String() string {
	switch s {
	case SameSiteLax:
		return "Lax"
	case SameSiteStrict:
		return "Strict"
	case SameSiteNone:
		return "None"
	case SameSiteOmit:
		return "(omitted)"
	}
	return "SameSite(invalid)"
}

// Priority is the Priority attribute, which Chromium uses to choose which cookies
// to evict first when a domain holds too many. Other browsers ignore it.
type Priority uint8

const (
	// PriorityOmit writes no Priority attribute (Chromium then uses Medium). The
	// zero value.
	PriorityOmit Priority = iota
	// PriorityLow is evicted first.
	PriorityLow
	// PriorityMedium is Chromium's default, written explicitly.
	PriorityMedium
	// PriorityHigh is evicted last: a good choice for a session cookie.
	PriorityHigh
)

func (p Priority) String() string {
	switch p {
	case PriorityOmit:
		return "(omitted)"
	case PriorityLow:
		return "Low"
	case PriorityMedium:
		return "Medium"
	case PriorityHigh:
		return "High"
	}
	return "Priority(invalid)"
}
