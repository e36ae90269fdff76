package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sesame-go/sesame/problem"
)

// A Manager loads, saves and signs sessions for the requests its Handler serves.
// It is safe for concurrent use by multiple goroutines.
type Manager struct {
	cfg       Config
	patcher   Patcher   // nil: whole-record writes
	mover     Mover     // nil: Regenerate saves the new record, then deletes the old
	users     UserIndex // nil: UserSessions and DestroyUser fail
	pinger    Pinger    // nil: Ready only checks a Load
	storeName string
	warnings  []*problem.Problem // found by New, logged by whoever built the Manager

	// once-per-cause diagnostics
	warned [ruleSlots]atomic.Bool
}

// New returns a Manager for cfg, or every problem with cfg joined in one error.
// Problems that only warn (a *problem.Problem with Severity Warning) do not fail
// New and are not logged: Warnings returns them.
func New(cfg Config) (*Manager, error) {
	c, err := cfg.withDefaults()
	warnings, err := splitWarnings(err)
	if err != nil {
		return nil, err
	}
	m := &Manager{cfg: c, storeName: storeName(c.Store), warnings: warnings}
	m.patcher, _ = c.Store.(Patcher)
	m.mover, _ = c.Store.(Mover)
	m.users, _ = c.Store.(UserIndex)
	m.pinger, _ = c.Store.(Pinger)
	return m, nil
}

// splitWarnings separates the warnings among the joined problems in err from the
// rest.
func splitWarnings(err error) ([]*problem.Problem, error) {
	if err == nil {
		return nil, nil
	}
	var warnings []*problem.Problem
	var rest []error
	for _, e := range unjoin(err) {
		var p *problem.Problem
		if errors.As(e, &p) && p.Severity == problem.Warning {
			warnings = append(warnings, p)
			continue
		}
		rest = append(rest, e)
	}
	return warnings, errors.Join(rest...)
}

// Warnings returns the problems New found that do not stop the Manager from
// working (a timeout over the browsers' 400-day cookie cap). New never logs
// them: whoever builds the Manager does (the sesame Stack logs every stage's
// warnings once).
func (m *Manager) Warnings() []*problem.Problem { return slices.Clone(m.warnings) }

func unjoin(err error) []error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return []error{err}
}

func storeName(s Store) string {
	if n, ok := s.(interface{ Name() string }); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", s)
}

// Config returns the Manager's configuration with defaults filled in.
func (m *Manager) Config() Config { return m.cfg }

// PatchesConcurrently reports whether the store applies patches, so that
// concurrent requests writing different keys of one session both survive.
func (m *Manager) PatchesConcurrently() bool { return m.patcher != nil }

type ctxKey struct{}

// From returns the session of the request whose context is ctx, or nil outside a
// Manager's Handler. ctx may also be a framework's context that holds the session
// under FrameworkKey (a *gin.Context behind the gin adapter).
func From(ctx context.Context) *Session {
	if st, ok := ctx.(*state); ok { // the common case: no context was derived since
		return &st.sess
	}
	if s, ok := ctx.Value(ctxKey{}).(*Session); ok {
		return s
	}
	s, _ := ctx.Value(FrameworkKey).(*Session) // a framework's context (adapters/gin)
	return s
}

// Handler serves next with a lazily loaded session in the request context
// (From). The session is saved, and its cookie set, before the first byte of the
// response; a store failure at that moment replaces the response with ErrorFunc's.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := m.newState(w, r)
		defer st.finish()
		next.ServeHTTP(&st.w, st.r)
	})
}

// reloadByKey loads the record s is stored under now. The caller holds s.mu.
func (m *Manager) reloadByKey(ctx context.Context, s *Session) {
	rec, found, err := m.load(ctx, s.key)
	switch {
	case err != nil:
		s.rec, s.err, s.why = recLoadFailed, err, StoreFailed
	case !found || !rec.Live(s.st.now):
		s.rec, s.why, s.id, s.key = recMissing, Unknown, "", ""
		s.meta, s.base = m.newMeta(s.st.now), nil
	default:
		s.rec, s.meta, s.base = recFound, rec.Meta, rec.Values
	}
}

// unbound detaches a Manager method's context from the request state, whose
// per-call contexts belong to the session's own, mutex-held calls.
func unbound(ctx context.Context) context.Context {
	if st, ok := ctx.(*state); ok {
		return st.parent
	}
	return ctx
}

func (m *Manager) newMeta(now time.Time) Meta {
	meta := Meta{Created: now, Touched: now, Idle: m.cfg.IdleTimeout}
	if m.cfg.AbsoluteTimeout > 0 {
		meta.Absolute = now.Add(m.cfg.AbsoluteTimeout)
	}
	return meta
}

// loadInto fills s from the request's cookie and the store.
func (m *Manager) loadInto(s *Session) { m.loadIntoCtx(s.st, s) }

func (m *Manager) loadIntoCtx(ctx context.Context, s *Session) {
	st := s.st
	if st.now.IsZero() {
		st.now = time.Now() // once per request, and only for one that uses its session
	}
	// Until a record is found, the session is a new one (its Meta from the
	// request's clock); a found one takes the stored Meta instead, so the
	// common path computes no deadlines it would throw away.
	s.rec = recMissing
	raw, ok := readCookie(st.r, m.cfg.Cookie.Name)
	if !ok {
		s.meta, s.why = m.newMeta(st.now), NoCookie
		return
	}
	id, why := m.cfg.Format.Decode(raw)
	if why != Found {
		s.meta, s.why = m.newMeta(st.now), why
		if why == BadSignature {
			m.warnOnce(ruleBadSignature, problem.SecretChanged,
				"a session cookie carries a signature no key verifies: forged, or the signing key changed without rotation",
				"rotate keys by putting the new key first and keeping the old ones until their sessions expire")
		}
		return
	}
	key := st.storeKey(id)
	rec, found, err := m.load(ctx, key)
	if err != nil {
		s.meta = m.newMeta(st.now)
		s.rec, s.err, s.why = recLoadFailed, err, StoreFailed
		return
	}
	if !found || !rec.Live(st.now) {
		s.meta, s.why = m.newMeta(st.now), Unknown
		return
	}
	s.rec, s.why, s.id, s.key = recFound, Found, id, key
	s.meta, s.base = rec.Meta, rec.Values
}

// ruleSlots indexes the once-per-cause diagnostics.
const (
	ruleBadSignature = iota
	ruleSecureOverHTTP
	ruleSecureUntrustedProxy
	ruleNoneInsecure
	ruleLateChange
	ruleVanished
	ruleSlots
)

func (m *Manager) warnOnce(slot int, rule problem.ID, msg, fix string) {
	if m.warned[slot].Swap(true) {
		return
	}
	m.cfg.Logger.Warn("sesame: "+msg, "rule", string(rule), "fix", fix)
}

// Ready reports whether the store can serve requests, within StoreTimeout: the
// store's Ping if it has one, else a Load of a key that does not exist. Expose it
// as a readiness check (e.g. /readyz).
func (m *Manager) Ready(ctx context.Context) error {
	ctx = unbound(ctx)
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	var err error
	if m.pinger != nil {
		err = m.pinger.Ping(ctx)
	} else {
		_, _, err = m.cfg.Store.Load(ctx, "sesame-readiness-probe")
	}
	return m.storeErr("ping", ctx, err)
}

// UserSessions lists the live sessions of user. It needs a store with a
// UserIndex.
func (m *Manager) UserSessions(ctx context.Context, user string) ([]Entry, error) {
	ctx = unbound(ctx)
	if m.users == nil {
		return nil, fmt.Errorf("session: the %s store keeps no user index", m.storeName)
	}
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	entries, err := m.users.UserSessions(ctx, user)
	if err != nil {
		return nil, m.storeErr("list", ctx, err)
	}
	now := time.Now()
	live := make([]Entry, 0, len(entries)) // the store may still hold entries
	for _, e := range entries {
		if e.Record.User == user && e.Record.Live(now) {
			live = append(live, e)
		}
	}
	return live, nil
}

// DestroyUser deletes every session of user except the one stored under keep
// (pass "" to sign the user out everywhere, or Session.Key() to sign out every
// other device), and reports how many it deleted.
func (m *Manager) DestroyUser(ctx context.Context, user, keep string) (int, error) {
	ctx = unbound(ctx)
	entries, err := m.UserSessions(ctx, user)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.Key == keep {
			continue
		}
		if err := m.delete(ctx, e.Key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// bounded is a store call's context, bounded by StoreTimeout.
type bounded struct {
	ctx    context.Context
	cancel context.CancelFunc
	call   *callCtx
}

func (b bounded) end() {
	if b.call != nil {
		b.call.end()
	} else if b.cancel != nil {
		b.cancel()
	}
}

// bound bounds a store call by StoreTimeout. Calls made with a request's own
// context use the allocation-free callCtx of its state.
func (m *Manager) bound(ctx context.Context) bounded {
	if m.cfg.StoreTimeout <= 0 {
		return bounded{ctx: ctx}
	}
	// Only the session's own calls, made under its mutex, take a callCtx of the
	// request's state; Manager methods detach first (unbound).
	if st, ok := ctx.(*state); ok && st.ncalls < len(st.calls) {
		c := &st.calls[st.ncalls]
		st.ncalls++
		c.start(st.parent, m.cfg.StoreTimeout)
		return bounded{ctx: c, call: c}
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.StoreTimeout)
	return bounded{ctx: ctx, cancel: cancel}
}

// storeErr wraps a store failure in a *StoreError; a deadline that StoreTimeout
// set is reported as ErrStoreTimeout.
func (m *Manager) storeErr(op string, ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	timedOut := errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && !errors.Is(err, ErrStoreTimeout)
	var se *StoreError
	if errors.As(err, &se) {
		if timedOut {
			return &StoreError{Store: se.Store, Op: se.Op, Err: fmt.Errorf("%w: %w", ErrStoreTimeout, se.Err)}
		}
		return err
	}
	if timedOut {
		err = fmt.Errorf("%w: %w", ErrStoreTimeout, err)
	}
	return &StoreError{Store: m.storeName, Op: op, Err: err}
}

func (m *Manager) load(ctx context.Context, key string) (Record, bool, error) {
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	ctx, o := m.observe(ctx, "load")
	rec, found, err := m.cfg.Store.Load(ctx, key)
	err = m.storeErr("load", ctx, err)
	o.end(err)
	return rec, found, err
}

func (m *Manager) delete(ctx context.Context, key string) error {
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	ctx, o := m.observe(ctx, "delete")
	err := m.storeErr("delete", ctx, m.cfg.Store.Delete(ctx, key))
	o.end(err)
	return err
}

func (m *Manager) save(ctx context.Context, key string, rec Record) error {
	key = strings.Clone(key) // stores keep the keys they save; see state.storeKey
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	ctx, o := m.observe(ctx, "save")
	err := m.storeErr("save", ctx, m.cfg.Store.Save(ctx, key, rec))
	o.end(err)
	return err
}

func (m *Manager) move(ctx context.Context, oldKey, newKey string, p Patch) (bool, error) {
	oldKey = strings.Clone(oldKey) // a store may keep the old key (its forwarding mark)
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	ctx, o := m.observe(ctx, "move")
	ok, err := m.mover.Move(ctx, oldKey, newKey, p)
	err = m.storeErr("move", ctx, err)
	o.end(err)
	return ok, err
}

func (m *Manager) patch(ctx context.Context, key string, p Patch) (bool, error) {
	b := m.bound(ctx)
	defer b.end()
	ctx = b.ctx
	ctx, o := m.observe(ctx, "patch")
	ok, err := m.patcher.Patch(ctx, key, p)
	err = m.storeErr("patch", ctx, err)
	o.end(err)
	return ok, err
}
