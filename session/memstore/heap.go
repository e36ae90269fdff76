package memstore

import "time"

// expiryHeap orders a shard's entries by entry.due (their deadline, or an
// earlier one they had before a write extended it), earliest first, entries that
// never expire last. The sweeper and the eviction of a full shard take from its
// top, so neither scans the whole shard. Each entry knows its index so a Patch
// that moves a deadline repositions it in O(log n).
type expiryHeap []*entry

// before reports whether a expires before b; a zero deadline is never.
func before(a, b time.Time) bool {
	if a.IsZero() {
		return false
	}
	return b.IsZero() || a.Before(b)
}

func (h *expiryHeap) push(e *entry) {
	e.idx = len(*h)
	*h = append(*h, e)
	h.up(e.idx)
}

// remove takes the entry at index i out of the heap.
func (h *expiryHeap) remove(i int) {
	old := *h
	last := len(old) - 1
	if i != last {
		h.swap(i, last)
	}
	old[last].idx = -1
	old[last] = nil // let the entry be collected
	*h = old[:last]
	if i != last {
		h.fix(i)
	}
}

// fix restores the order after the deadline of the entry at index i changed.
func (h expiryHeap) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

// peek returns the entry that expires first, or nil.
func (h expiryHeap) peek() *entry {
	if len(h) == 0 {
		return nil
	}
	return h[0]
}

func (h expiryHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = i
	h[j].idx = j
}

func (h expiryHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !before(h[i].due, h[parent].due) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

// down moves the entry at i towards the leaves and reports whether it moved.
func (h expiryHeap) down(i int) bool {
	start := i
	for {
		child := 2*i + 1
		if child >= len(h) {
			break
		}
		if r := child + 1; r < len(h) && before(h[r].due, h[child].due) {
			child = r
		}
		if !before(h[child].due, h[i].due) {
			break
		}
		h.swap(i, child)
		i = child
	}
	return i > start
}
