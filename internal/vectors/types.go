package vectors

import (
	"encoding/json"
	"time"
)

// Header is what every file starts with: which program and package versions
// produced it, and the frozen Node clock every scenario starts at.
type Header struct {
	GeneratedBy      string            `json:"generated_by"`
	Versions         map[string]string `json:"versions"`
	FrozenClockStart time.Time         `json:"frozen_clock_start"`
	Description      string            `json:"description"`
}

// Signature is cookie-signature.json: sign and unsign cases and key rotation.
type Signature struct {
	Header
	ImplementationsChecked []struct {
		Version string   `json:"version"`
		Path    string   `json:"path"`
		UsedBy  []string `json:"used_by"`
	} `json:"implementations_checked"`
	SignaturesContainingPlusSlash string   `json:"signatures_containing_plus_slash"`
	Sign                          []Sign   `json:"sign"`
	Unsign                        []Unsign `json:"unsign"`
	Rotation                      struct {
		Description   string `json:"description"`
		FunctionLevel []struct {
			Name        string   `json:"name"`
			Secrets     []string `json:"secrets"`
			CookieValue string   `json:"cookie_value"`
			// Expected is the unsigned value, or false.
			Expected           any  `json:"expected"`
			MatchedSecretIndex *int `json:"matched_secret_index"`
		} `json:"function_level"`
		Live struct {
			Description string `json:"description"`
			Steps       []struct {
				Step                string   `json:"step"`
				Secrets             []string `json:"secrets"`
				RequestCookie       *string  `json:"request_cookie"`
				SessionID           string   `json:"session_id_seen_by_server"`
				SetCookie           []string `json:"response_set_cookie"`
				SignedWithSecretIdx *int     `json:"response_signed_with_secret_index"`
			} `json:"steps"`
		} `json:"live_express_session"`
	} `json:"rotation"`
}

// Sign is one sign(value, secret) case.
type Sign struct {
	Name          string `json:"name"`
	Secret        string `json:"secret"`
	SecretUTF8Hex string `json:"secret_utf8_hex,omitempty"`
	Value         string `json:"value"`
	ValueUTF8Hex  string `json:"value_utf8_hex,omitempty"`
	ValueNote     string `json:"value_note,omitempty"`
	Signed        string `json:"signed"`
	Signature     string `json:"signature"`
	HMACSHA256Hex string `json:"hmac_sha256_hex"`
	Note          string `json:"note,omitempty"`
}

// Unsign is one unsign(input, secret) case.
type Unsign struct {
	Name   string `json:"name"`
	Secret string `json:"secret"`
	Input  string `json:"input"`
	// Expected is the value unsign returns, or false.
	Expected any    `json:"expected"`
	Note     string `json:"note,omitempty"`
}

// Parser is cookie-parser.json: res.cookie output and cookie-parser decoding.
type Parser struct {
	Header
	Express4CrossCheck string       `json:"express4_cross_check"`
	Secrets            []string     `json:"secrets"`
	Set                []ParserCase `json:"set"`
	Parse              []ParserCase `json:"parse"`
	WithoutSecret      struct {
		Description string       `json:"description"`
		Cases       []ParserCase `json:"cases"`
	} `json:"without_secret"`
}

// ParserCase is one res.cookie call (Set) or one Cookie header (Parse).
type ParserCase struct {
	Name string `json:"name"`
	Call string `json:"call,omitempty"`
	// Value is the value given to res.cookie: a string, number, object, array
	// or null.
	Value json.RawMessage `json:"value,omitempty"`
	// Options is res.cookie's options object, null, or "clear" for
	// res.clearCookie.
	Options               json.RawMessage `json:"options,omitempty"`
	SetCookie             string          `json:"set_cookie,omitempty"`
	CookieName            string          `json:"cookie_name,omitempty"`
	RawValue              string          `json:"raw_value,omitempty"`
	URLDecodedValue       string          `json:"url_decoded_value,omitempty"`
	SignedPayload         string          `json:"signed_payload,omitempty"`
	Signature             string          `json:"signature,omitempty"`
	SignedWithSecretIndex *int            `json:"signed_with_secret_index,omitempty"`
	Attributes            [][]string      `json:"attributes,omitempty"`
	RequestCookieHeader   string          `json:"request_cookie_header"`
	Parsed                struct {
		Secret        *string        `json:"secret"`
		Cookies       map[string]any `json:"cookies"`
		SignedCookies map[string]any `json:"signedCookies"`
	} `json:"parsed"`
	Note string `json:"note,omitempty"`
}

// Session is express-session.json: live express-session servers (MemoryStore).
type Session struct {
	Header
	Express4CrossCheck string            `json:"express4_cross_check"`
	Routes             map[string]string `json:"routes"`
	Scenarios          []Scenario        `json:"scenarios"`
}

// Redis is connect-redis.json: live express-session + connect-redis servers,
// with the Redis commands they sent, and records written by another program.
type Redis struct {
	Header
	Express4CrossCheck string     `json:"express4_cross_check"`
	RedisServer        string     `json:"redis_server"`
	API                string     `json:"api"`
	Scenarios          []Scenario `json:"scenarios"`
	ForeignRecords     struct {
		Description string     `json:"description"`
		Cases       []Scenario `json:"cases"`
	} `json:"foreign_records"`
}

// Scenario is one app configuration and the requests made to it.
type Scenario struct {
	Name             string `json:"name"`
	Description      string `json:"description"`
	Nondeterministic string `json:"nondeterministic,omitempty"`
	// ExpressTrustProxy is app.set("trust proxy", …), or nil when unset.
	ExpressTrustProxy *bool          `json:"express_trust_proxy"`
	SessionOptions    SessionOptions `json:"session_options"`
	StoreOptions      *StoreOptions  `json:"store_options,omitempty"`
	// RecordWritten is the record another program put in Redis (foreign
	// records only).
	RecordWritten *struct {
		Key   string `json:"key"`
		Value string `json:"value"`
		TTL   int64  `json:"ttl"`
	} `json:"record_written,omitempty"`
	Steps []Step `json:"steps"`
}

// SessionOptions are express-session's options.
type SessionOptions struct {
	Secret            []string `json:"secret"`
	Name              string   `json:"name,omitempty"`
	Resave            bool     `json:"resave"`
	SaveUninitialized bool     `json:"saveUninitialized"`
	Rolling           bool     `json:"rolling,omitempty"`
	Proxy             *bool    `json:"proxy,omitempty"`
	Cookie            struct {
		MaxAge      *float64 `json:"maxAge,omitempty"`
		Domain      string   `json:"domain,omitempty"`
		Path        string   `json:"path,omitempty"`
		HTTPOnly    *bool    `json:"httpOnly,omitempty"`
		Secure      any      `json:"secure,omitempty"` // bool or "auto"
		Partitioned bool     `json:"partitioned,omitempty"`
		Priority    string   `json:"priority,omitempty"`
		SameSite    any      `json:"sameSite,omitempty"` // bool or a string
	} `json:"cookie"`
	// Genid describes the session IDs: a fixed queue, or uid-safe's default.
	Genid string `json:"genid"`
}

// StoreOptions are connect-redis's RedisStore options.
type StoreOptions struct {
	Client       string  `json:"client"`
	Prefix       string  `json:"prefix,omitempty"`
	TTL          float64 `json:"ttl,omitempty"`
	DisableTouch bool    `json:"disableTouch,omitempty"`
	DisableTTL   bool    `json:"disableTTL,omitempty"`
}

// Step is one request and everything observed about it.
type Step struct {
	Label string    `json:"label"`
	Clock time.Time `json:"clock"`
	// RedisSetup are commands run against Redis before the request.
	RedisSetup [][]string `json:"redis_setup,omitempty"`
	Request    struct {
		Method  string            `json:"method"`
		Path    string            `json:"path"`
		Headers map[string]string `json:"headers"`
	} `json:"request"`
	Response struct {
		Status    int      `json:"status"`
		SetCookie []string `json:"set_cookie"`
		Body      *Body    `json:"body"`
	} `json:"response"`
	Decoded []SetCookie `json:"set_cookie_decoded"`
	// RedisCommands are the commands the app sent (Redis MONITOR).
	RedisCommands [][]string `json:"redis_commands,omitempty"`
	// RedisAfter is what Redis held after the request.
	RedisAfter []struct {
		Key    string  `json:"key"`
		Exists bool    `json:"exists"`
		Value  *string `json:"value"`
		TTL    int64   `json:"ttl"`
	} `json:"redis_after,omitempty"`
}

// Body is the test app's JSON answer.
type Body struct {
	SessionID *string                    `json:"sessionID"`
	Data      map[string]json.RawMessage `json:"data"`
	Destroyed string                     `json:"destroyed,omitempty"`
	Error     string                     `json:"error,omitempty"`
}

// SetCookie is one Set-Cookie line taken apart.
type SetCookie struct {
	Line       string     `json:"line"`
	Name       string     `json:"name"`
	RawValue   string     `json:"raw_value"`
	Attributes [][]string `json:"attributes"`
	Value      string     `json:"value"`
	// SessionID is empty for res.clearCookie's line.
	SessionID             string `json:"session_id,omitempty"`
	Signature             string `json:"signature,omitempty"`
	SignedWithSecretIndex *int   `json:"signed_with_secret_index,omitempty"`
}
