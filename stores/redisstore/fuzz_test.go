package redisstore_test

import (
	"testing"
	"time"
)

// FuzzLoad writes a valid session hash with one field replaced or added by the
// fuzzer straight into Redis, then loads it: Load must never fail or panic on
// whatever lies under the prefix, and a record it accepts must survive a Save and
// a second Load unchanged.
func FuzzLoad(f *testing.F) {
	s, c, prefix := sharedStore(f)
	now := time.Now().UTC()
	for _, seed := range [][2]string{
		{"v:a", `{"x":1}`},
		{"v:a", `{"x":`},
		{"v:", `null`},
		{"m:touched", now.Format(time.RFC3339Nano)},
		{"m:touched", "2000-13-01T00:00:00Z"},
		{"m:idle", "-1"},
		{"m:idle", "99999999999999999999"},
		{"m:absolute", ""},
		{"m:expires", "x"},
		{"m:user", "\x00{}"},
		{"other", "1"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, field, value string) {
		k := key("fuzz")
		rk := prefix + "s:{" + k + "}"
		touched := time.Now().UTC()
		if err := c.Del(ctx(t), rk).Err(); err != nil {
			t.Fatal(err)
		}
		err := c.HSet(ctx(t), rk,
			"m:created", touched.Format(time.RFC3339Nano),
			"m:touched", touched.Format(time.RFC3339Nano),
			"m:idle", int64(time.Hour),
			"m:absolute", "",
			"m:user", "fuzz",
			"m:expires", touched.Add(time.Hour).UnixMilli(),
			"v:base", `"b"`,
			field, value,
		).Err()
		if err != nil {
			t.Fatal(err)
		}
		rec, found, err := s.Load(ctx(t), k)
		if err != nil {
			t.Fatalf("Load: got error %v, want none for any data", err)
		}
		if !found {
			return
		}
		if exp := rec.Expires(); !exp.IsZero() && time.Until(exp) < time.Minute {
			// A fuzzed m:idle of a few microseconds makes a record that is
			// live at the first Load and gone by the second: nothing to compare.
			return
		}
		if err := s.Save(ctx(t), k, rec); err != nil {
			t.Fatalf("Save of a loaded record: %v", err)
		}
		again, found, err := s.Load(ctx(t), k)
		if err != nil || !found {
			t.Fatalf("Load after Save: got found=%v err=%v, want true, nil", found, err)
		}
		sameRecord(t, again, rec)
	})
}
