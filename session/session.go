package session

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sync"
	"time"
	"unsafe"
)

// A Session is one request's view of a user's session. It loads lazily: the store
// is first asked when the handler first reads or writes it, and a request that
// never touches its session costs no store call. Changes are recorded as a patch
// (keys set, keys deleted) that the Manager applies when the response starts.
//
// A Session is safe for concurrent use by the goroutines of its request.
type Session struct {
	mu  sync.Mutex
	st  *state // the request this session belongs to
	err error  // sticky load error

	rec     record // what the request knows of the stored session (plan.go)
	change  change // what the request did to it since it was loaded or saved
	why     Reason // why there is no stored record (or Found)
	id      string // the ID in the cookie, "" for a new session
	key     string // store key of id
	meta    Meta
	base    map[string]json.RawMessage // stored values; shared with the store: never modified
	set     map[string]json.RawMessage // values written by this request
	deleted map[string]struct{}        // keys deleted by this request

	expiryMoved bool   // Touch or SetTimeouts: the idle deadline moves at the next save
	flushed     bool   // set and deleted are saved already: fold them into base before the next change
	unread      bool   // recFound by an apply: base was never read, the next read loads it
	errChecked  bool   // the handler looked at Err: it handles the failure itself
	retire      string // store key a rotation without Mover replaced but could not delete yet
}

// Reason says why a request has or has no stored session.
type Reason uint8

const (
	// NotLoaded: the handler never touched the session.
	NotLoaded Reason = iota
	// Found: the cookie named a live session.
	Found
	// NoCookie: the request carried no session cookie. A cross-origin front end
	// that forgot credentials: 'include' (fetch) or withCredentials (axios) looks
	// like this (rule SES009).
	NoCookie
	// Malformed: a cookie with the session's name that sesame did not write.
	Malformed
	// BadSignature: no key verifies the cookie: forged, or signed with a key that
	// was removed instead of rotated (rule SES021).
	BadSignature
	// Unknown: a validly signed ID the store does not have: expired, destroyed,
	// or evicted by the store (rule SES022).
	Unknown
	// StoreFailed: the store could not be asked; Err says why (rule SES031).
	StoreFailed
)

var reasonText = [...]string{
	NotLoaded:    "not-loaded",
	Found:        "found",
	NoCookie:     "no-cookie",
	Malformed:    "malformed-cookie",
	BadSignature: "bad-signature",
	Unknown:      "unknown-or-expired",
	StoreFailed:  "store-error",
}

func (r Reason) String() string {
	if int(r) < len(reasonText) {
		return reasonText[r]
	}
	return "unknown-reason"
}

// load asks the store once per request. The caller holds s.mu.
func (s *Session) load() {
	switch {
	case s.rec == recNotLoaded:
		s.st.m.loadInto(s)
	case s.rec == recPending:
		// Written without a read so far; the overlay stays over what is stored.
		s.st.m.fetch(s.st, s)
	case s.unread:
		// Applied without a read: the stored record holds the overlay already.
		s.st.m.fetch(s.st, s)
		return
	default:
		return
	}
	if o := s.st.m.cfg.Observer; o != nil {
		o.Loaded(s.st, s.why)
	}
}

// loadForWrite prepares a write of the session's values (Set, Delete): on a
// store that implements Applier, a session the request has not read and whose
// cookie verifies is written without reading it (recPending), else it loads.
// The caller holds s.mu.
func (s *Session) loadForWrite() {
	switch {
	case s.rec == recPending:
		return
	case s.rec == recNotLoaded && s.st.m.applier != nil:
		if s.st.m.identify(s) {
			s.rec, s.why = recPending, NotLoaded
			return
		}
		// No session to write to: a new one, as a load would have found.
		if o := s.st.m.cfg.Observer; o != nil {
			o.Loaded(s.st, s.why)
		}
		return
	}
	s.load()
}

// Err reports why the session could not be loaded (a *StoreError), or nil. A
// handler that calls Err takes over the failure: without the call, a session that
// could not be loaded makes the Manager answer with ErrorFunc (503) instead of
// the handler's response, so a store outage never looks like a signed-out user.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.errChecked = true
	return s.err
}

// Why reports why the request has or has no stored session. It loads the session.
func (s *Session) Why() Reason {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.why
}

// IsNew reports whether the session has not been stored yet.
func (s *Session) IsNew() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.rec != recFound
}

// Key returns the store key of the session ("" while it is new): a hash of the ID,
// safe to log and to show, and the key UserSessions reports.
func (s *Session) Key() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.key
}

// raw returns the JSON stored under key. The caller holds s.mu.
func (s *Session) raw(key string) (json.RawMessage, bool) {
	s.load()
	if s.change == chDetached || s.rec == recLoadFailed {
		return nil, false
	}
	if v, ok := s.set[key]; ok {
		return v, true
	}
	if _, ok := s.deleted[key]; ok {
		return nil, false
	}
	v, ok := s.base[key]
	return v, ok
}

// Has reports whether key holds a value.
func (s *Session) Has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.raw(key)
	return ok
}

// Keys returns the session's keys, sorted.
func (s *Session) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	keys := make([]string, 0, len(s.base)+len(s.set))
	for k := range s.base {
		if _, del := s.deleted[k]; !del {
			if _, set := s.set[k]; !set {
				keys = append(keys, k)
			}
		}
	}
	for k := range s.set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Get returns the value stored under key, decoded from JSON into T. ok is false
// when the key holds nothing, when the session could not be loaded (see Err), or
// when the stored JSON does not decode into T (logged).
func Get[T any](s *Session, key string) (v T, ok bool) {
	s.mu.Lock()
	raw, found := s.raw(key)
	s.mu.Unlock()
	if !found {
		return v, false
	}
	// Strings are the common case (user names, flags); a JSON string without
	// escapes is its bytes between the quotes, no decoder needed. v itself
	// never has its address taken where it could escape (the decoder gets a
	// T of its own): &v handed to json.Unmarshal moved v to the heap on every
	// call, strings included (BenchmarkReadTyped: one allocation less).
	var zero T
	if _, isString := any(zero).(string); isString && plainJSONString(raw) {
		*(*string)(unsafe.Pointer(&v)) = string(raw[1 : len(raw)-1])
		return v, true
	}
	p := new(T)
	if err := json.Unmarshal(raw, p); err != nil {
		s.st.m.cfg.Logger.Warn("sesame: session value does not decode into the requested type",
			"key", key, "type", reflect.TypeFor[T]().String(), "err", err)
		return zero, false
	}
	return *p, true
}

// plainJSONString reports whether raw is a JSON string with no escapes and no
// bytes JSON forbids unescaped (RFC 8259 §7).
func plainJSONString(raw []byte) bool {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return false
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c == '"' || c < 0x20 {
			return false
		}
	}
	return true
}

// encodeValue is json.Marshal(v), with a short cut for the commonest value, a
// short ASCII string that needs no escaping: the same bytes json.Marshal
// writes (TestEncodeValueMatchesMarshal, FuzzEncodeValue), without its
// interface conversion and encoder state.
func encodeValue[T any](v T) ([]byte, error) {
	if sv, ok := any(v).(string); ok && plainASCII(sv) {
		raw := make([]byte, len(sv)+2)
		raw[0] = '"'
		copy(raw[1:], sv)
		raw[len(raw)-1] = '"'
		return raw, nil
	}
	return json.Marshal(v)
}

// plainASCII reports whether json.Marshal writes s as itself between quotes:
// printable ASCII without the quote, the backslash, and the three characters
// it escapes for HTML (<, >, &).
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// Set stores v, encoded as JSON, under key. Only this key is written when the
// session is saved, so concurrent requests that set different keys both survive.
// It fails, changing nothing, if key is not valid UTF-8 or holds NUL (CheckKey;
// the error wraps ErrInvalidKey and names the key) or if v cannot be encoded.
func Set[T any](s *Session, key string, v T) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	raw, err := encodeValue(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadForWrite()
	s.unflush()
	if s.set == nil {
		s.set = make(map[string]json.RawMessage, 4)
	}
	s.set[key] = raw
	delete(s.deleted, key)
	s.changed()
	return nil
}

// Delete removes key from the session.
func (s *Session) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadForWrite()
	s.unflush()
	delete(s.set, key)
	// Without a base (recPending) the stored record may hold key: the delete
	// is recorded for the store to apply.
	if _, ok := s.base[key]; ok || s.rec == recPending {
		if s.deleted == nil {
			s.deleted = make(map[string]struct{}, 2)
		}
		s.deleted[key] = struct{}{}
	}
	s.changed()
}

// Clear removes every key; the session itself (its ID, user and timeouts) stays.
func (s *Session) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.unflush()
	clear(s.set)
	for k := range s.base {
		if s.deleted == nil {
			s.deleted = make(map[string]struct{}, len(s.base))
		}
		s.deleted[k] = struct{}{}
	}
	s.changed()
}

// User returns the user the session belongs to, "" when anonymous.
func (s *Session) User() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.meta.User
}

// SetUser ties the session to a user, for UserSessions and DestroyUser. Call
// Regenerate in the same request when a user signs in (session fixation defence,
// OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege
// Level Change").
func (s *Session) SetUser(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.meta.User = user
	s.changed()
}

// SetTimeouts gives this session its own idle and absolute timeouts, e.g. longer
// ones for "remember me". The absolute deadline counts from the session's
// creation; zero keeps the Manager's default; negative disables that timeout.
func (s *Session) SetTimeouts(idle, absolute time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	cfg := &s.st.m.cfg
	switch {
	case idle == 0:
		s.meta.Idle = cfg.IdleTimeout
	case idle < 0:
		s.meta.Idle = 0
	default:
		s.meta.Idle = idle
	}
	created := s.meta.Created
	if created.IsZero() {
		created = s.st.now
	}
	switch {
	case absolute == 0 && cfg.AbsoluteTimeout > 0:
		s.meta.Absolute = created.Add(cfg.AbsoluteTimeout)
	case absolute <= 0:
		s.meta.Absolute = time.Time{}
	default:
		s.meta.Absolute = created.Add(absolute)
	}
	s.meta.Touched = s.st.now
	s.expiryMoved = true
	s.changed()
}

// Created reports when the session was created (now, for a new one).
func (s *Session) Created() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.meta.Created
}

// LastSeen reports the last activity the store knows of (throttled by
// TouchInterval).
func (s *Session) LastSeen() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.meta.Touched
}

// Expires reports when the session ends if it sees no further request: the
// earlier of the idle and absolute deadlines, counted from this request.
func (s *Session) Expires() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	m := s.meta
	m.Touched = s.st.now
	return m.Expires()
}

// Touch records activity now, extending the idle deadline, even within the
// TouchInterval.
func (s *Session) Touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.meta.Touched = s.st.now
	s.expiryMoved = true
	s.changed()
}

// Regenerate gives the session a new ID and keeps its data: call it when a user
// signs in, so an ID planted before login is worthless after (session fixation;
// OWASP Session Management Cheat Sheet). The old ID stops working when the
// response starts.
//
// With a store that implements Mover (every store in this repository) the
// rotation is one atomic step in the store, from the stored record as it is then
// plus this request's changes, and only if it still exists: when another request
// destroyed the session meanwhile (a logout, a sign-out everywhere), nothing is
// brought back; the request answers with ErrSessionGone (409 by default) and
// clears the cookie.
func (s *Session) Regenerate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if s.err != nil {
		return s.err
	}
	s.changed()
	s.change = chRegenerate
	return nil
}

// Destroy deletes the session from the store now and clears the cookie when the
// response starts; a replay of the old cookie finds nothing. Writes after Destroy
// start a new, empty session.
func (s *Session) Destroy(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if s.err != nil {
		// The store could not say whether a session exists: a logout that
		// cleared only the cookie would leave a stolen copy of it working.
		return s.err
	}
	if s.rec == recFound {
		if err := s.st.m.delete(ctx, s.key); err != nil {
			return err
		}
		s.st.m.event(ctx, Destroyed)
	}
	if s.retire != "" {
		if err := s.st.m.delete(ctx, s.retire); err != nil {
			return err
		}
		s.retire = ""
	}
	s.reset(chDestroyed)
	return nil
}

// reset turns s into a new, empty session with the given change. The caller
// holds s.mu.
func (s *Session) reset(c change) {
	s.rec, s.change, s.id, s.key = recMissing, c, "", ""
	s.base, s.set, s.deleted, s.flushed, s.expiryMoved, s.unread = nil, nil, nil, false, false, false
	s.meta = s.st.m.newMeta(s.st.now)
}

// Reload discards this request's changes and loads the session from the store
// again.
func (s *Session) Reload(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set, s.deleted, s.err, s.flushed, s.expiryMoved, s.unread = nil, nil, nil, false, false, false
	if s.change != chDestroyed { // a destroy is done: its cookie still goes
		s.change = chNone
	}
	if s.rec == recFound {
		// Reload what this session is now, which after a Regenerate and a Save
		// is no longer what the request's cookie names.
		s.st.m.reloadByKey(ctx, s)
	} else {
		s.st.m.loadIntoCtx(ctx, s)
	}
	return s.err
}

// Save writes this request's changes to the store now instead of when the
// response starts, e.g. before a long stream. The cookie still goes out with the
// response headers.
func (s *Session) Save(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rec != recPending { // a pending change is applied without a read
		s.load()
	}
	if s.err != nil {
		return s.err // nothing was saved: say so
	}
	p := s.plan()
	if p.Late {
		s.st.m.execute(ctx, s, p) // logs SES029
		return ErrLateChange
	}
	return s.st.m.execute(ctx, s, p)
}

// Unset detaches the session from the request, as Config.Unset says: with
// UnsetKeep the stored session stays as it was and this request's changes are
// dropped; with UnsetDestroy it is destroyed.
func (s *Session) Unset(ctx context.Context) error {
	if s.st.m.cfg.Unset == UnsetDestroy {
		return s.Destroy(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set, s.deleted, s.flushed, s.expiryMoved = nil, nil, false, false
	if s.change != chDestroyed { // a destroy is done: its cookie still goes
		s.change = chDetached
	}
	return nil
}

// unflush folds an overlay that was already saved into base, so that only what
// changes next goes into the next patch. The caller holds s.mu.
func (s *Session) unflush() {
	if s.flushed {
		s.base = s.values()
		s.set, s.deleted = nil, nil
		s.flushed = false
	}
}

// changed records a change: a detached or destroyed session becomes a changed
// one (a destroyed one a new session), a pending Regenerate stays. The caller
// holds s.mu.
func (s *Session) changed() {
	if s.change != chRegenerate {
		s.change = chModified
	}
}

// values returns the merged values, for whole-record writes. The caller holds s.mu.
func (s *Session) values() map[string]json.RawMessage {
	if len(s.set) == 0 && len(s.deleted) == 0 {
		return s.base
	}
	v := make(map[string]json.RawMessage, len(s.base)+len(s.set))
	maps.Copy(v, s.base)
	for k := range s.deleted {
		delete(v, k)
	}
	maps.Copy(v, s.set)
	return v
}

// ErrLateChange is reported (through the Logger, rule SES029) when a session
// change needs a cookie but the response had already started.
var ErrLateChange = errors.New("session changed after the response started; the cookie could not be sent (rule SES029)")
