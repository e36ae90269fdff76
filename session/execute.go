package session

import (
	"context"
	"strings"

	"github.com/sesame-go/sesame/problem"
)

// The store operations of a plan. Each runs with s.mu held and leaves s as the
// request now sees its session.

// touch moves the idle deadline of a session the request only read.
func (m *Manager) touch(ctx context.Context, s *Session) error {
	s.expiryMoved = false
	var applied bool
	var err error
	switch {
	case m.applier != nil:
		// An apply with no change is a touch, and the store decides again
		// whether it is due: a concurrent request may have touched already.
		var r Applied
		r, err = m.apply(ctx, s.key, Apply{Now: s.st.now, TouchInterval: m.cfg.TouchInterval})
		if applied = r.Applied; applied {
			s.meta = r.Meta
		}
	case m.patcher != nil:
		s.meta.Touched = s.st.now
		applied, err = m.patch(ctx, s.key, Patch{Meta: s.meta})
	default:
		s.meta.Touched = s.st.now
		return m.save(ctx, s.key, Record{Meta: s.meta, Values: s.base})
	}
	if err != nil {
		return err
	}
	if !applied {
		// Destroyed, expired or rotated by another request meanwhile. The
		// request only read it, so nothing is lost; the cookie is left alone
		// (clearing it could sign out the browser after a concurrent
		// rotation's Set-Cookie).
		s.reset(chNone)
		s.why = Unknown
	}
	return nil
}

// patchChanges writes the request's changes to the stored session.
func (m *Manager) patchChanges(ctx context.Context, s *Session) error {
	now := s.st.now
	// A write is activity too, but the idle deadline moves (and the cookie is
	// re-sent with it) at most once per TouchInterval, like a read's.
	if s.expiryMoved || (s.meta.Idle > 0 && now.Sub(s.meta.Touched) >= m.cfg.TouchInterval) {
		s.meta.Touched = now
	}
	s.expiryMoved = false
	if m.patcher == nil {
		vals := s.values()
		if err := m.save(ctx, s.key, Record{Meta: s.meta, Values: vals}); err != nil {
			return err
		}
		s.base, s.set, s.deleted = vals, nil, nil
		return nil
	}
	applied, err := m.patch(ctx, s.key, s.patch())
	if err != nil {
		return err
	}
	if !applied {
		// Destroyed, expired or rotated by another request meanwhile: a patch
		// never resurrects a session, and the change is lost. Say so (409)
		// instead of answering as if it were saved, and leave the cookie alone:
		// after a concurrent Regenerate the browser may already hold the new
		// ID, which a clearing Set-Cookie arriving later would sign out.
		m.warnOnce(ruleVanished, problem.SessionsEvicted,
			"a session was destroyed, expired or regenerated while a request was changing it; the change was dropped and the request answered 409",
			"nothing to fix if users signed out or signed in elsewhere; otherwise check the store's eviction policy")
		s.reset(chNone)
		s.why = Unknown
		return ErrSessionGone
	}
	// The overlay stays as the request's view; it is folded into base only if
	// the request changes the session again (rarely), so a write costs no
	// merged copy of the values.
	s.flushed = true
	return nil
}

// applyChanges writes the changes of a session the request never read
// (recPending) with one Apply, then carries out the plan decided again from
// the store's answer: the cookie of a patch when the record was there, a new
// session with the changes when it was not.
func (m *Manager) applyChanges(ctx context.Context, s *Session) error {
	st := s.st
	r, err := m.apply(ctx, s.key, Apply{Set: s.set, Delete: s.deletedKeys(), Now: st.now, TouchInterval: m.cfg.TouchInterval})
	if err != nil {
		return err
	}
	in := s.planInput()
	if r.Applied {
		s.rec, s.why, s.meta = recFound, Found, r.Meta
		// The store holds the overlay now; base was never read (unread), so
		// a read after this loads it first.
		s.unread, s.flushed = true, true
		in.Record, in.Applied, in.Due = recFound, true, r.Touched
	} else {
		// Expired, destroyed or rotated: as for a loaded session found
		// missing, the changes start a new session.
		s.rec, s.why, s.id, s.key = recMissing, Unknown, "", ""
		s.meta = m.newMeta(st.now)
		in.Record = recMissing
	}
	if o := m.cfg.Observer; o != nil {
		o.Loaded(st, s.why)
	}
	return m.execute(ctx, s, decide(in))
}

// deletedKeys lists s.deleted for a store call. The caller holds s.mu.
func (s *Session) deletedKeys() []string {
	if len(s.deleted) == 0 {
		return nil
	}
	keys := make([]string, 0, len(s.deleted))
	for k := range s.deleted {
		keys = append(keys, k)
	}
	return keys
}

// patch is the request's change as a store Patch. The caller holds s.mu.
func (s *Session) patch() Patch {
	return Patch{Meta: s.meta, Set: s.set, Delete: s.deletedKeys()}
}

// newKey makes a fresh ID and its store key.
func (m *Manager) newKey() (id, key string, err error) {
	id, err = m.cfg.Format.NewID()
	if err != nil {
		return "", "", err
	}
	return id, string(m.cfg.Format.AppendStoreKey(nil, id)), nil // its own memory: a store keeps it
}

// create stores the session under a new ID.
func (m *Manager) create(ctx context.Context, s *Session) error {
	id, key, err := m.newKey()
	if err != nil {
		return err
	}
	s.meta.Touched = s.st.now
	s.expiryMoved = false
	vals := s.values()
	if err := m.save(ctx, key, Record{Meta: s.meta, Values: vals}); err != nil {
		return err
	}
	s.rec, s.id, s.key, s.base = recFound, id, key, vals
	s.set, s.deleted, s.flushed = nil, nil, false
	return nil
}

// regenerate moves the stored session to a new ID with the request's changes.
func (m *Manager) regenerate(ctx context.Context, s *Session) error {
	id, key, err := m.newKey()
	if err != nil {
		return err
	}
	meta := s.meta
	meta.Touched = s.st.now
	if m.mover == nil {
		return m.saveThenDelete(ctx, s, id, key, meta)
	}
	p := s.patch()
	p.Meta = meta
	moved, err := m.move(ctx, s.key, key, p)
	if err != nil {
		return err
	}
	if !moved {
		// The old session is gone: destroyed (a logout, a sign-out
		// everywhere), expired, or rotated by another request. A move never
		// resurrects it, so the request's session is destroyed: no new
		// record, the cookie cleared, and the request answers 409, since its
		// changes (often a sign-in) were not saved.
		s.reset(chNone)
		s.why = Unknown
		s.st.cookie = cookieClear
		return ErrSessionGone
	}
	s.id, s.key, s.meta = id, key, meta
	s.expiryMoved = false
	// The store built the new record from its current one plus this
	// request's overlay; base plus the overlay is the request's view of it.
	s.flushed = true
	return nil
}

// saveThenDelete rotates on a store without Mover: the new record from the
// request's snapshot first, then the old key deleted. It is not safe against
// concurrent requests (Mover says why); a failure between the two steps leaves
// the user signed in under both, never signed out, and the old key in s.retire,
// so the request fails and every later save of this session retries the delete.
func (m *Manager) saveThenDelete(ctx context.Context, s *Session, id, key string, meta Meta) error {
	vals := s.values()
	if err := m.save(ctx, key, Record{Meta: meta, Values: vals}); err != nil {
		return err
	}
	oldKey := strings.Clone(s.key)
	s.id, s.key, s.meta, s.base = id, key, meta, vals
	s.set, s.deleted, s.flushed, s.expiryMoved = nil, nil, false, false
	s.retire = oldKey
	if err := m.delete(ctx, oldKey); err != nil {
		// The new record is saved: its cookie goes once the retire succeeds.
		s.change, s.st.cookie = chNone, cookieSet
		return err
	}
	s.retire = ""
	return nil
}
