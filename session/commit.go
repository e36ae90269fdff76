package session

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// commit saves the session and writes its cookie headers. It runs once, just
// before the first byte of the response (or when the handler returns without
// writing). A store failure replaces the response with ErrorFunc's.
func (st *state) commit() {
	if err := st.commitLocked(); err != nil {
		st.fail(err)
	}
}

// commitLocked does the commit's work under the session's mutex and returns the
// error ErrorFunc must answer, if any; ErrorFunc runs after the mutex is released,
// so it may use the session itself.
func (st *state) commitLocked() error {
	s := &st.sess
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.committed {
		return nil
	}
	st.committed = true
	if !s.loaded {
		return nil // the handler never touched its session: no store call, no header
	}
	m := st.m
	if s.err != nil && !s.errChecked {
		st.failed = true
		return s.err
	}
	if err := m.saveLocked(st, s); err != nil {
		st.failed = true
		return err
	}
	m.writeHeaders(st, s)
	return nil
}

// fail answers with ErrorFunc instead of the handler's response.
func (st *state) fail(err error) {
	h := st.w.ResponseWriter.Header()
	clear(h) // whatever the handler prepared belongs to the response it no longer sends
	if o := st.m.cfg.Observer; o != nil {
		o.Unavailable(st, err)
	}
	st.m.cfg.ErrorFunc(st.w.ResponseWriter, st.r, err)
}

// finish runs when the handler returns: it commits a response that never wrote,
// and saves changes made after the response started.
func (st *state) finish() {
	if p := recover(); p != nil {
		// A handler that panicked left its changes half made: save nothing
		// (a Regenerate must not retire the old ID, a partial write must not
		// land) and let the panic go on to the server.
		panic(p)
	}
	if !st.committed {
		st.commit()
		return
	}
	if !st.late || st.failed {
		return
	}
	s := &st.sess
	s.mu.Lock()
	defer s.mu.Unlock()
	m := st.m
	if !s.found || s.regenerate || s.destroyed {
		// The change needs a Set-Cookie the response can no longer carry.
		// Saving would leave a record no browser can name, or keep an ID the
		// handler meant to retire; report instead (rule SES029).
		m.warnOnce(ruleLateChange, problem.ChangeAfterResponse, ErrLateChange.Error(),
			"change the session before writing the response, or call Session.Save first")
		m.cfg.Logger.Error("sesame: "+ErrLateChange.Error(), "rule", string(problem.ChangeAfterResponse),
			"path", st.r.URL.Path)
		return
	}
	if err := m.saveLocked(st, s); err != nil {
		m.cfg.Logger.Error("sesame: saving a session changed after the response started failed", "err", err,
			"rule", string(problem.StoreUnavailable))
	}
}

// saveLocked writes this request's changes to the store. The caller holds s.mu.
func (m *Manager) saveLocked(ctx context.Context, s *Session) error {
	st := s.st
	if !s.loaded || s.unset || s.err != nil {
		return nil
	}
	now := st.now
	if s.retire != "" {
		// A Regenerate whose old ID could not be deleted: until it is, the old
		// cookie still works (session fixation), so every save retries and
		// fails the request while it cannot.
		if err := m.delete(ctx, s.retire); err != nil {
			return err
		}
		s.retire = ""
	}
	switch {
	case !s.found:
		if !st.dirty && !(m.cfg.SaveUninitialized && !s.destroyed) {
			return nil
		}
		if err := m.create(ctx, s, s.values()); err != nil {
			return err
		}
		m.event(ctx, Created)
		return nil

	case s.regenerate:
		// New ID first, then retire the old one: a failure between the two
		// leaves the user signed in under both, never signed out; the old key
		// stays in s.retire, so the request fails and every later save of
		// this session tries the delete again.
		oldKey := strings.Clone(s.key)
		if err := m.create(ctx, s, s.values()); err != nil {
			return err
		}
		s.regenerate = false
		s.retire = oldKey
		m.event(ctx, Regenerated)
		if err := m.delete(ctx, oldKey); err != nil {
			return err
		}
		s.retire = ""
		return nil

	case st.dirty:
		// A write is activity too, but the idle deadline moves (and the cookie is
		// re-sent with it) at most once per TouchInterval, like a read's.
		moved := s.expiryMoved || (s.meta.Idle > 0 && now.Sub(s.meta.Touched) >= m.cfg.TouchInterval)
		if moved {
			s.meta.Touched = now
		}
		s.expiryMoved = false
		if m.patcher != nil {
			p := Patch{Meta: s.meta, Set: s.set}
			if len(s.deleted) > 0 {
				p.Delete = make([]string, 0, len(s.deleted))
				for k := range s.deleted {
					p.Delete = append(p.Delete, k)
				}
			}
			applied, err := m.patch(ctx, s.key, p)
			if err != nil {
				return err
			}
			if !applied {
				// Destroyed or expired by another request meanwhile: a patch
				// never resurrects a session. The browser's cookie is dead.
				m.warnOnce(ruleVanished, problem.SessionsEvicted,
					"a session was destroyed or expired while a request was changing it; the change was dropped",
					"nothing to fix if users signed out elsewhere; otherwise check the store's eviction policy")
				s.reset()
				s.destroyed = true
				return nil
			}
			// The overlay stays as the request's view; it is folded into base
			// only if the request changes the session again (rarely), so a
			// write costs no merged copy of the values.
			s.flushed = true
		} else {
			vals := s.values()
			if err := m.save(ctx, s.key, Record{Meta: s.meta, Values: vals}); err != nil {
				return err
			}
			s.base = vals
			s.set, s.deleted = nil, nil
		}
		st.dirty = false
		st.cookieOut = st.cookieOut || (moved && !m.cfg.Cookie.BrowserSession)
		return nil

	case s.meta.Idle > 0 && now.Sub(s.meta.Touched) >= m.cfg.TouchInterval:
		// A read-only request: move the idle deadline, at most once per
		// TouchInterval (a store write per request would cost more than the
		// read it follows).
		s.meta.Touched = now
		if m.patcher != nil {
			applied, err := m.patch(ctx, s.key, Patch{Meta: s.meta})
			if err != nil {
				return err
			}
			if !applied {
				s.reset()
				s.destroyed = true
				return nil
			}
		} else if err := m.save(ctx, s.key, Record{Meta: s.meta, Values: s.base}); err != nil {
			return err
		}
		st.cookieOut = st.cookieOut || !m.cfg.Cookie.BrowserSession
	}
	return nil
}

// create stores vals under a new ID. The caller holds s.mu.
func (m *Manager) create(ctx context.Context, s *Session, vals map[string]json.RawMessage) error {
	st := s.st
	id, err := m.cfg.Format.NewID()
	if err != nil {
		return err
	}
	key := string(m.cfg.Format.AppendStoreKey(nil, id)) // its own memory: a store may keep it
	s.meta.Touched = st.now
	if err := m.save(ctx, key, Record{Meta: s.meta, Values: vals}); err != nil {
		return err
	}
	s.found, s.id, s.key, s.base = true, id, key, vals
	s.set, s.deleted = nil, nil
	s.destroyed = false
	st.dirty = false
	st.cookieOut = true
	return nil
}

// writeHeaders adds Set-Cookie, Vary and Cache-Control. The caller holds s.mu.
func (m *Manager) writeHeaders(st *state, s *Session) {
	h := st.w.ResponseWriter.Header()
	// The response depends on the cookie: shared caches must not serve it to
	// another user (RFC 9111 §4.1).
	addVary(h)
	if m.cfg.Dev && !s.found && s.why != Found && s.why != NotLoaded {
		h.Set("Sesame-Why", s.why.String())
	}
	switch {
	case s.found && (st.cookieOut || m.cfg.Rolling):
		m.setCookie(st, h, s)
	case !s.found && s.destroyed:
		m.clearCookie(st, h)
	default:
		return
	}
	// OWASP Session Management Cheat Sheet, "Web Content Caching": a response
	// that sets a session cookie must never be cached.
	h.Set("Cache-Control", "no-store")
}

var varyCookie = []string{"Cookie"}

func addVary(h http.Header) {
	v, ok := h["Vary"]
	if !ok {
		h["Vary"] = varyCookie[:1:1] // shared, capacity-capped: an append copies
		return
	}
	for _, x := range v {
		if x == "Cookie" {
			return
		}
	}
	h["Vary"] = append(v, "Cookie")
}
