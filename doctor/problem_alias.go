package doctor

// Temporary aliases while the library moves to package problem; removed by the restructure.

import "github.com/sesame-go/sesame/problem"

type (
	ID       = problem.ID
	Severity = problem.Severity
	Problem  = problem.Problem
)

const (
	SecureOverHTTP       = problem.SecureOverHTTP
	ProxyNotTrusted      = problem.ProxyNotTrusted
	WildcardCredentials  = problem.WildcardCredentials
	CredentialsDisabled  = problem.CredentialsDisabled
	CrossSiteLax         = problem.CrossSiteLax
	NoneWithoutSecure    = problem.NoneWithoutSecure
	ThirdPartyBlocking   = problem.ThirdPartyBlocking
	InvalidDomain        = problem.InvalidDomain
	NoCredentialsSent    = problem.NoCredentialsSent
	PreflightNotReached  = problem.PreflightNotReached
	PreflightDenied      = problem.PreflightDenied
	PreflightRedirect    = problem.PreflightRedirect
	DuplicateCORS        = problem.DuplicateCORS
	MissingVaryOrigin    = problem.MissingVaryOrigin
	MalformedOrigin      = problem.MalformedOrigin
	SpoofableClientIP    = problem.SpoofableClientIP
	CSRFUnknownFrontend  = problem.CSRFUnknownFrontend
	CookieTooLarge       = problem.CookieTooLarge
	LifetimeCapped       = problem.LifetimeCapped
	ExposeSetCookie      = problem.ExposeSetCookie
	SecretChanged        = problem.SecretChanged
	SessionsEvicted      = problem.SessionsEvicted
	CSRFDisabled         = problem.CSRFDisabled
	NullOrigin           = problem.NullOrigin
	InsecureOrigin       = problem.InsecureOrigin
	PublicSuffixWildcard = problem.PublicSuffixWildcard
	MaxAgeCapped         = problem.MaxAgeCapped
	CookiePrefix         = problem.CookiePrefix
	ChangeAfterResponse  = problem.ChangeAfterResponse
	WeakKey              = problem.WeakKey
	StoreUnavailable     = problem.StoreUnavailable
	MixedScheme          = problem.MixedScheme
	InvalidProxyConfig   = problem.InvalidProxyConfig
	WildcardHeaders      = problem.WildcardHeaders
	OriginMismatch       = problem.OriginMismatch
	NoCookieSet          = problem.NoCookieSet
	CookieSyntax         = problem.CookieSyntax
	PartitionedNoSecure  = problem.PartitionedNoSecure
	InvalidName          = problem.InvalidName
	StoreIgnoresDeadline = problem.StoreIgnoresDeadline
	InvalidStoreConfig   = problem.InvalidStoreConfig
	Error                = problem.Error
	Warning              = problem.Warning
)

var (
	NewError   = problem.NewError
	NewWarning = problem.NewWarning
)
