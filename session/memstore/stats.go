package memstore

// Stats describes a Store at one moment.
type Stats struct {
	// Records is the number of records held, including expired ones the
	// sweeper has not removed yet and the forwarding marks Move leaves.
	Records int
	// Evicted counts live records removed to make room for new ones
	// (Config.MaxEntries). Each is a user signed out early: a growing count
	// means MaxEntries is too small for the traffic (doctor rule SES022).
	Evicted uint64
	// Swept counts expired records removed, by the sweeper or on the way.
	Swept uint64
}

// Stats returns the store's counters. It takes each shard's lock briefly.
func (s *Store) Stats() Stats {
	st := Stats{Evicted: s.evicted.Load(), Swept: s.swept.Load()}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		st.Records += len(sh.m)
		sh.mu.RUnlock()
	}
	return st
}
