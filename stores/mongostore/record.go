package mongostore

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/session"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// The fields of a session document. The times are BSON dates, which the shell
// shows as dates but which keep only milliseconds; nanos keeps the rest, so that
// a record comes back to the nanosecond.
//
//	{
//	  _id:      "<store key>",
//	  v:        { cart: { items: [ { sku: "A1", qty: 2 } ] }, theme: "dark" },
//	  raw:      { odd: "9007199254740993.5" },           // only when needed
//	  created:  ISODate("…"), touched: ISODate("…"),
//	  absolute: ISODate("…"),                            // absent: no absolute deadline
//	  expires:  ISODate("…"),                            // absent: never; TTL-indexed
//	  idleNs:   NumberLong(1800000000000),
//	  user:     "alice",                                 // absent: anonymous
//	  nanos:    { created: 123456, touched: 654321, absolute: 0 },
//	  moving:   "<new key>"                              // only during a Move
//	}
const (
	fID       = "_id"
	fValues   = "v"
	fRaw      = "raw"
	fCreated  = "created"
	fTouched  = "touched"
	fAbsolute = "absolute"
	fExpires  = "expires"
	fIdle     = "idleNs"
	fUser     = "user"
	fNanos    = "nanos"
	fMoving   = "moving"
)

// splitValues converts Values into the v document and the raw document (nil when
// every value is BSON). It keeps no reference to values or their bytes.
func splitValues(values map[string]json.RawMessage) (v, raw bson.D, err error) {
	v = make(bson.D, 0, len(values))
	for name, val := range values {
		field := escapeKey(name)
		b, err := toBSON(val)
		switch {
		case errors.Is(err, errNotBSON):
			raw = append(raw, bson.E{Key: field, Value: string(val)})
		case err != nil:
			return nil, nil, fmt.Errorf("value %q: %w", name, err)
		default:
			v = append(v, bson.E{Key: field, Value: b})
		}
	}
	return v, raw, nil
}

// msDate splits t into the BSON date (milliseconds, rounded down) and the
// nanoseconds past it.
func msDate(t time.Time) (bson.DateTime, int64) {
	ms := t.UnixMilli()
	rest := t.Sub(time.UnixMilli(ms)).Nanoseconds()
	if rest < 0 { // before 1970 UnixMilli rounds towards zero
		ms--
		rest += int64(time.Millisecond)
	}
	return bson.DateTime(ms), rest
}

// expiresDate is the expiry as a BSON date rounded up, so that the TTL monitor and
// the cleanup never delete a record before its deadline.
func expiresDate(t time.Time) bson.DateTime {
	d, rest := msDate(t)
	if rest > 0 {
		d++
	}
	return d
}

// metaSet is the $set of a Meta, and metaUnset the fields a zero value removes.
func metaFields(m session.Meta) (set bson.D, unset bson.D) {
	created, cn := msDate(m.Created)
	touched, tn := msDate(m.Touched)
	nanos := bson.D{{Key: "created", Value: cn}, {Key: "touched", Value: tn}}
	set = bson.D{
		{Key: fCreated, Value: created},
		{Key: fTouched, Value: touched},
		{Key: fIdle, Value: int64(m.Idle)},
	}
	if m.Absolute.IsZero() {
		unset = append(unset, bson.E{Key: fAbsolute, Value: ""})
	} else {
		a, an := msDate(m.Absolute)
		set = append(set, bson.E{Key: fAbsolute, Value: a})
		nanos = append(nanos, bson.E{Key: "absolute", Value: an})
	}
	if exp := m.Expires(); exp.IsZero() {
		unset = append(unset, bson.E{Key: fExpires, Value: ""})
	} else {
		set = append(set, bson.E{Key: fExpires, Value: expiresDate(exp)})
	}
	if m.User == "" {
		unset = append(unset, bson.E{Key: fUser, Value: ""})
	} else {
		set = append(set, bson.E{Key: fUser, Value: m.User})
	}
	set = append(set, bson.E{Key: fNanos, Value: nanos})
	return set, unset
}

// newDocument is the whole document of rec under key.
func newDocument(key string, rec session.Record) (bson.D, error) {
	v, raw, err := splitValues(rec.Values)
	if err != nil {
		return nil, err
	}
	set, _ := metaFields(rec.Meta)
	doc := make(bson.D, 0, len(set)+3)
	doc = append(doc, bson.E{Key: fID, Value: key}, bson.E{Key: fValues, Value: v})
	if len(raw) > 0 {
		doc = append(doc, bson.E{Key: fRaw, Value: raw})
	}
	return append(doc, set...), nil
}

// readDocument decodes a stored document into its key and record.
func readDocument(doc bson.Raw) (string, session.Record, error) {
	var rec session.Record
	key, ok := doc.Lookup(fID).StringValueOK()
	if !ok {
		return "", rec, fmt.Errorf("a document without a string _id")
	}
	nanos, _ := doc.Lookup(fNanos).DocumentOK()
	at := func(field string) time.Time {
		d, ok := doc.Lookup(field).DateTimeOK()
		if !ok {
			return time.Time{}
		}
		var n int64
		if nanos != nil {
			n, _ = nanos.Lookup(field).AsInt64OK()
		}
		return time.UnixMilli(d).Add(time.Duration(n))
	}
	m := &rec.Meta
	m.Created = at(fCreated)
	m.Touched = at(fTouched)
	m.Absolute = at(fAbsolute)
	if idle, ok := doc.Lookup(fIdle).AsInt64OK(); ok {
		m.Idle = time.Duration(idle)
	}
	m.User, _ = doc.Lookup(fUser).StringValueOK()
	v, _ := doc.Lookup(fValues).DocumentOK()
	raw, _ := doc.Lookup(fRaw).DocumentOK()
	values, err := decodeValues(v, raw)
	if err != nil {
		return key, rec, fmt.Errorf("session %s: %w", key, err)
	}
	rec.Values = values
	return key, rec, nil
}
