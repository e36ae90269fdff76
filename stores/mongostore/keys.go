package mongostore

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field names in MongoDB cannot hold NUL, and '.' and a leading '$' mean paths and
// operators in updates and queries. Session keys, and the member names of values,
// may hold any character, so every field name the store writes under v and raw is
// escaped: '%', '.', '$' and NUL become %25, %2E, %24 and %00, the empty name
// becomes a lone "%" (which no escaped name can be). A white-space character at
// either end of a name is escaped too, byte by byte (" cart" becomes "%20cart"):
// FerretDB refuses an update path whose element does not equal its TrimSpace
// (found by FuzzValues), though MongoDB takes it. Ordinary names ("cart",
// "user_id", "Zoë", "two words") are written as they are, so the shell shows
// them.

// escapeKey returns name as a field name.
func escapeKey(name string) string {
	if name == "" {
		return "%"
	}
	// Bytes [0, head) and [tail, len) are a white-space rune at an end.
	head, tail := 0, len(name)
	if r, n := utf8.DecodeRuneInString(name); unicode.IsSpace(r) {
		head = n
	}
	if r, n := utf8.DecodeLastRuneInString(name); unicode.IsSpace(r) {
		tail = len(name) - n
	}
	if head == 0 && tail == len(name) && !strings.ContainsAny(name, "%.$\x00") {
		return name
	}
	var b strings.Builder
	b.Grow(len(name) + 8)
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '%', c == '.', c == '$', c == 0, i < head, i >= tail:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

const hexDigits = "0123456789ABCDEF"

// unescapeKey reverses escapeKey. A field name escapeKey cannot have written (a
// document edited by hand) is returned as it is, with ok false.
func unescapeKey(field string) (name string, ok bool) {
	if field == "%" {
		return "", true
	}
	if !strings.Contains(field, "%") {
		return field, !strings.ContainsAny(field, ".$\x00")
	}
	b := make([]byte, 0, len(field))
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(field) {
			return field, false
		}
		h, l := unhex(field[i+1]), unhex(field[i+2])
		if h < 0 || l < 0 {
			return field, false
		}
		b = append(b, byte(h<<4|l))
		i += 2
	}
	return string(b), true
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	}
	return -1
}
