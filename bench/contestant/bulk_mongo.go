package contestant

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/mongostore"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// mongoBulk fills sesame-mongo's collection with insertMany, in the document
// layout mongostore documents (stores/mongostore/record.go): _id the store
// key, v the values, BSON dates with the nanoseconds past the millisecond in
// nanos, expires rounded up to the millisecond, idleNs, user. Only string
// values are written (the benchmark's logins set one, "user"); anything else
// is an error, not a guess at the layout.
type mongoBulk struct {
	coll *mongo.Collection
	st   *mongostore.Store
}

func (b *mongoBulk) write(ctx context.Context, es []session.Entry) error {
	docs := make([]any, len(es))
	for i, e := range es {
		m := e.Record.Meta
		v := bson.D{}
		for k, raw := range e.Record.Values {
			var str string
			if err := json.Unmarshal(raw, &str); err != nil || strings.ContainsAny(k, "%.$\x00") || k == "" {
				return fmt.Errorf("value %q = %s: the batch writer handles string values under plain names only", k, raw)
			}
			v = append(v, bson.E{Key: k, Value: str})
		}
		created, cn := msDate(m.Created)
		touched, tn := msDate(m.Touched)
		nanos := bson.D{{Key: "created", Value: cn}, {Key: "touched", Value: tn}}
		doc := bson.D{{Key: "_id", Value: e.Key}, {Key: "v", Value: v},
			{Key: "created", Value: created}, {Key: "touched", Value: touched}, {Key: "idleNs", Value: int64(m.Idle)}}
		if !m.Absolute.IsZero() {
			a, an := msDate(m.Absolute)
			doc = append(doc, bson.E{Key: "absolute", Value: a})
			nanos = append(nanos, bson.E{Key: "absolute", Value: an})
		}
		if exp := m.Expires(); !exp.IsZero() {
			d, rest := msDate(exp)
			if rest > 0 {
				d++
			}
			doc = append(doc, bson.E{Key: "expires", Value: d})
		}
		if m.User != "" {
			doc = append(doc, bson.E{Key: "user", Value: m.User})
		}
		docs[i] = append(doc, bson.E{Key: "nanos", Value: nanos})
	}
	_, err := b.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	return err
}

// msDate splits t into a BSON date (milliseconds, rounded down) and the
// nanoseconds past it, as mongostore stores times.
func msDate(t time.Time) (bson.DateTime, int64) {
	ms := t.UnixMilli()
	rest := t.Sub(time.UnixMilli(ms)).Nanoseconds()
	if rest < 0 {
		ms--
		rest += int64(time.Millisecond)
	}
	return bson.DateTime(ms), rest
}

func (b *mongoBulk) done(context.Context) error { return nil }

// size is collStats' totalSize (FerretDB), else storageSize + totalIndexSize.
func (b *mongoBulk) size(ctx context.Context) (int64, error) {
	var res bson.Raw
	err := b.coll.Database().RunCommand(ctx, bson.D{{Key: "collStats", Value: b.coll.Name()}}).Decode(&res)
	if err != nil {
		return 0, err
	}
	num := func(k string) (int64, bool) { return res.Lookup(k).AsInt64OK() }
	if t, ok := num("totalSize"); ok {
		return t, nil
	}
	st, ok1 := num("storageSize")
	ix, ok2 := num("totalIndexSize")
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("collStats %s: no totalSize, storageSize or totalIndexSize in %s", b.coll.Name(), res)
	}
	return st + ix, nil
}

func (b *mongoBulk) load(ctx context.Context, key string) (session.Record, bool, error) {
	return b.st.Load(ctx, key)
}
