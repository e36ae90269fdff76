package memstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sesame-go/sesame/session"
)

// Patch applies p to the record under key atomically (session.Patcher): it
// builds a new Values map from the stored one, p.Delete and p.Set, and stores it
// with p.Meta in one step under the shard's lock, so concurrent patches of
// different keys all survive and a map handed out by Load never changes. A
// missing or expired record is left alone and Patch reports false. A patch whose
// Meta has already expired removes the record.
func (s *Store) Patch(ctx context.Context, key string, p session.Patch) (bool, error) {
	if err := s.check(ctx); err != nil {
		return false, err
	}
	now := time.Now()
	exp := p.Meta.Expires()
	// Allocate the buffer for the new bytes outside the lock.
	buf := make([]byte, 0, valuesSize(p.Set))
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[key]
	if !ok || e.movedTo != "" {
		return false, nil
	}
	if !live(e.exp, now) {
		sh.remove(e) // never resurrect: the sweeper would have removed it anyway
		s.swept.Add(1)
		return false, nil
	}
	if !live(exp, now) {
		sh.remove(e)
		return true, nil
	}
	sh.replace(e, session.Record{Meta: p.Meta, Values: patched(e.rec.Values, p, buf)}, exp)
	return true, nil
}

// patched returns a new map: old without p.Delete, with p.Set copied into buf.
// old is not modified.
func patched(old map[string]json.RawMessage, p session.Patch, buf []byte) map[string]json.RawMessage {
	if len(p.Set) == 0 && len(p.Delete) == 0 {
		return old // a touch: the stored map stays, it is immutable anyway
	}
	m := make(map[string]json.RawMessage, len(old)+len(p.Set))
	for k, v := range old {
		m[k] = v // old values are immutable and can be shared
	}
	for _, k := range p.Delete {
		delete(m, k)
	}
	for k, v := range p.Set {
		buf, m[k] = appendValue(buf, v)
	}
	if len(m) == 0 {
		return nil
	}
	return m
}
