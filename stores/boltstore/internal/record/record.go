// Package record is the compact binary form in which boltstore keeps a session
// record: smaller and faster to read than JSON, and versioned so that a later
// layout can still read files written by this one.
//
// Layout (varint and uvarint as in encoding/binary):
//
//	version   byte (1)
//	created   varint seconds since 1970, uvarint nanoseconds
//	touched   same
//	idle      varint nanoseconds
//	absolute  same as created
//	user      uvarint length, bytes
//	count     uvarint number of values
//	values    count × (uvarint key length, key, uvarint value length, value)
//
// The zero time.Time is written as its own seconds (year 1) and read back as the
// zero time.Time, so "no deadline" survives.
package record

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/session"
)

// Version is the layout Encode writes.
const Version = 1

// ErrCorrupt is wrapped by every error Decode returns.
var ErrCorrupt = errors.New("boltstore: corrupt session record")

// zeroUnix is time.Time{}.Unix(): the seconds of the zero time.
var zeroUnix = time.Time{}.Unix()

// Encode appends the encoding of rec to dst and returns the extended slice.
func Encode(dst []byte, rec session.Record) []byte {
	n := 1 + 4*(binary.MaxVarintLen64+5) + binary.MaxVarintLen64 + 2*binary.MaxVarintLen64 + len(rec.User)
	for k, v := range rec.Values {
		n += 2*binary.MaxVarintLen64 + len(k) + len(v)
	}
	if cap(dst)-len(dst) < n {
		dst = append(make([]byte, 0, len(dst)+n), dst...)
	}
	dst = append(dst, Version)
	dst = appendTime(dst, rec.Created)
	dst = appendTime(dst, rec.Touched)
	dst = binary.AppendVarint(dst, int64(rec.Idle))
	dst = appendTime(dst, rec.Absolute)
	dst = appendBytes(dst, rec.User)
	dst = binary.AppendUvarint(dst, uint64(len(rec.Values)))
	for k, v := range rec.Values {
		dst = appendBytes(dst, k)
		dst = appendBytes(dst, string(v))
	}
	return dst
}

func appendTime(dst []byte, t time.Time) []byte {
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
}

func appendBytes[S ~string | ~[]byte](dst []byte, s S) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Decode parses a record written by Encode. The result shares no memory with src
// (bbolt's memory is only valid inside its transaction): one copy of src backs all
// the values.
func Decode(src []byte) (session.Record, error) {
	d := decoder{b: src}
	meta := d.meta()
	count := d.uvarint()
	if d.err != nil {
		return session.Record{}, d.err
	}
	// Each value takes at least two bytes (two lengths): a larger count is a lie,
	// and must not size an allocation.
	if count > uint64(len(d.b))/2 {
		return session.Record{}, d.fail("value count %d exceeds the record", count)
	}
	rec := session.Record{Meta: meta}
	if count == 0 {
		if len(d.b) != 0 {
			return session.Record{}, d.fail("%d trailing bytes", len(d.b))
		}
		return rec, nil
	}
	d.b = append([]byte(nil), d.b...) // the copy the values point into
	rec.Values = make(map[string]json.RawMessage, count)
	for range count {
		k := d.bytes()
		v := d.bytes()
		if d.err != nil {
			return session.Record{}, d.err
		}
		rec.Values[string(k)] = json.RawMessage(v[:len(v):len(v)])
	}
	if len(d.b) != 0 {
		return session.Record{}, d.fail("%d trailing bytes", len(d.b))
	}
	return rec, nil
}

// DecodeMeta parses only the Meta of a record, for index maintenance: no value is
// read or copied.
func DecodeMeta(src []byte) (session.Meta, error) {
	d := decoder{b: src}
	m := d.meta()
	return m, d.err
}

// decoder reads src front to back; the first error sticks and every later read
// returns zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) error {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
		d.b = nil
	}
	return d.err
}

func (d *decoder) meta() session.Meta {
	if len(d.b) == 0 {
		d.fail("empty")
		return session.Meta{}
	}
	if d.b[0] != Version {
		d.fail("layout version %d, want %d", d.b[0], Version)
		return session.Meta{}
	}
	d.b = d.b[1:]
	var m session.Meta
	m.Created = d.time()
	m.Touched = d.time()
	m.Idle = time.Duration(d.varint())
	m.Absolute = d.time()
	m.User = string(d.bytes())
	if d.err != nil {
		return session.Meta{}
	}
	return m
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad uvarint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) time() time.Time {
	sec := d.varint()
	nsec := d.uvarint()
	switch {
	case d.err != nil:
		return time.Time{}
	case nsec >= 1e9:
		d.fail("nanoseconds %d out of range", nsec)
		return time.Time{}
	case sec == zeroUnix && nsec == 0:
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec))
}

// bytes returns the next length-prefixed field, aliasing d.b.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail("field of %d bytes with %d left", n, len(d.b))
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}
