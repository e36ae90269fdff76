package proxy

import "strings"

// step is what an iterator over a forwarding header found next.
type step int

const (
	stepEntry step = iota // an entry (possibly empty or invalid: the caller decides)
	stepEnd               // no entries left
	stepLimit             // the walk limits were reached: fail closed
)

// listIter yields the entries of a comma-separated header from right to left,
// across all of its header lines: RFC 9110 §5.3 makes several lines of one field
// equivalent to one line joining them with commas, in order, so a client cannot
// hide an entry by sending its own X-Forwarded-For line before the proxy's.
// It looks at no more than maxBytes bytes and yields no more than maxEntries
// entries, counted from the right, and allocates nothing.
//
// split finds where the last entry of s begins: the index after its separating
// comma, or 0 when s is one entry. ok false means s cannot be split (an
// unterminated quoted string in a Forwarded header).
type listIter struct {
	lines  []string
	split  func(s string) (start int, ok bool)
	li     int    // lines[:li] are not opened yet
	cur    string // unread part of the open line; entries are cut from its right
	open   bool   // a line is open
	cut    bool   // cur is only the tail of its line (the line exceeded the budget)
	budget int    // bytes that may still be looked at
	nlines int    // header lines opened
	n      int    // entries yielded
}

func newListIter(lines []string, split func(string) (int, bool)) listIter {
	return listIter{lines: lines, split: split, li: len(lines), budget: maxBytes}
}

func (it *listIter) next() (string, step) {
	for !it.open {
		if it.li == 0 {
			return "", stepEnd
		}
		if it.nlines == maxEntries {
			return "", stepLimit
		}
		it.li--
		it.nlines++
		line := it.lines[it.li]
		if it.cut = len(line) > it.budget; it.cut {
			line = line[len(line)-it.budget:]
		} else if trimOWS(line) == "" {
			// An empty header line carries no entry; it is not an invalid one.
			continue
		}
		it.budget -= len(line)
		it.cur, it.open = line, true
	}
	if it.n == maxEntries {
		return "", stepLimit
	}
	start, ok := it.split(it.cur)
	if !ok || (start == 0 && it.cut) {
		// The leftmost piece of a cut line is a fragment of an entry that
		// begins beyond the budget: not something to read as an address.
		return "", stepLimit
	}
	e := it.cur[start:]
	if start == 0 {
		it.open = false
	} else {
		it.cur = it.cur[:start-1]
	}
	it.n++
	return trimOWS(e), stepEntry
}

// splitComma splits a plain comma list (X-Forwarded-For, -Proto, -Host).
func splitComma(s string) (int, bool) {
	return strings.LastIndexByte(s, ',') + 1, true
}

// trimOWS removes the optional whitespace (SP, HTAB) of RFC 9110 §5.6.3.
func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// listLen counts the entries of a comma list the way listIter yields them, or
// reports false when the list is beyond the walk limits.
func listLen(lines []string) (int, bool) {
	it := newListIter(lines, splitComma)
	for n := 0; ; n++ {
		switch _, st := it.next(); st {
		case stepEnd:
			return n, true
		case stepLimit:
			return 0, false
		}
	}
}

// nthFromRight returns entry i (0 is the rightmost) of a comma list.
func nthFromRight(lines []string, i int) (string, bool) {
	it := newListIter(lines, splitComma)
	for {
		e, st := it.next()
		if st != stepEntry {
			return "", false
		}
		if i == 0 {
			return e, true
		}
		i--
	}
}
