package redisstore_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

// A record written before m:expires held Touched and Absolute as numbers
// (only the deadline) still loads, and an Apply of it is still right: it falls
// back to a read and a patch, which rewrites the field, so the next Apply is
// one script call again.
func TestApplyLegacyRecord(t *testing.T) {
	s, c, prefix := sharedStore(t)
	now := time.Now()
	for _, due := range []bool{false, true} {
		k := key("legacy-" + map[bool]string{false: "quiet", true: "due"}[due])
		rk := prefix + "s:{" + k + "}"
		touched := now.Add(-10 * time.Minute)
		absolute := now.Add(time.Hour)
		if err := c.HSet(ctx(t), rk,
			"m:created", touched.UTC().Format(time.RFC3339Nano),
			"m:touched", touched.UTC().Format(time.RFC3339Nano),
			"m:idle", int64(30*time.Minute),
			"m:absolute", absolute.UTC().Format(time.RFC3339Nano),
			"m:user", "",
			"m:expires", touched.Add(30*time.Minute).UnixMilli(),
			"v:a", "1").Err(); err != nil {
			t.Fatal(err)
		}
		c.PExpire(ctx(t), rk, 20*time.Minute)
		want := session.Meta{Created: touched, Touched: touched, Idle: 30 * time.Minute, Absolute: absolute}
		rec, found, err := s.Load(ctx(t), k)
		if err != nil || !found {
			t.Fatalf("Load of a record without the numeric fields: got %v, %v, want it found", found, err)
		}
		sameRecord(t, rec, session.Record{Meta: want, Values: map[string]json.RawMessage{"a": json.RawMessage(`1`)}})

		interval := time.Hour
		if due {
			interval = time.Minute
			want.Touched = now
		}
		r, err := s.Apply(ctx(t), k, session.Apply{Set: map[string]json.RawMessage{"b": json.RawMessage(`2`)}, Now: now, TouchInterval: interval})
		if err != nil || !r.Applied || r.Touched != due {
			t.Fatalf("Apply of a record without the numeric fields (due %v): got %+v, %v", due, r, err)
		}
		if !r.Meta.Touched.Equal(want.Touched) || !r.Meta.Absolute.Equal(want.Absolute) || r.Meta.Idle != want.Idle {
			t.Errorf("Apply (due %v): got Meta %+v, want %+v", due, r.Meta, want)
		}
		rec, found, err = s.Load(ctx(t), k)
		if err != nil || !found {
			t.Fatalf("Load after the Apply: got %v, %v, want it found", found, err)
		}
		sameRecord(t, rec, session.Record{Meta: want, Values: map[string]json.RawMessage{"a": json.RawMessage(`1`), "b": json.RawMessage(`2`)}})
		exp, err := c.HGet(ctx(t), rk, "m:expires").Result()
		if err != nil || strings.Count(exp, " ") != 2 {
			t.Errorf("after the fallback: got m:expires %q (%v), want three numbers", exp, err)
		}
	}
}
