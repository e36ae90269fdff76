package memstore

// recency is an intrusive doubly linked list of entries, most recently written
// first: moving an entry to the front on a write and taking the least recent
// from the back are O(1) and allocate nothing.
type recency struct {
	front, back *entry
}

// list returns the recency list e belongs to. A forwarding mark is not a
// session: it goes with the records that never held a user.
func (sh *shard) list(e *entry) *recency {
	if e.signedIn && e.movedTo == "" {
		return &sh.known
	}
	return &sh.anon
}

func (l *recency) pushFront(e *entry) {
	e.prev, e.next = nil, l.front
	if l.front != nil {
		l.front.prev = e
	} else {
		l.back = e
	}
	l.front = e
}

func (l *recency) unlink(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else if l.front == e {
		l.front = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else if l.back == e {
		l.back = e.prev
	}
	e.prev, e.next = nil, nil
}
