package sessiontest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var valueRules = []rule{
	{"JSONShapes", testJSONShapes},
	{"KeyNames", testKeyNames},
	{"ManyKeys", testManyKeys},
	{"LargeValue", testLargeValue},
}

// Every shape of JSON document a session value can take comes back as the same
// document.
func testJSONShapes(t *testing.T, newStore func(*testing.T) session.Store) {
	tests := []struct {
		name string
		json string
	}{
		{"string", `"hello"`},
		{"empty string", `""`},
		{"unicode", `"Zoë ✓ 日本語 🍪"`},
		{"html characters", `"<script>alert('x')</script> & more"`},
		{"escapes", `"line\nbreak\ttab \"quoted\" back\\slash \u0000 \u2028"`},
		{"zero", `0`},
		{"negative", `-17`},
		{"fraction", `3.14159`},
		{"exponent", `6.02e23`},
		{"beyond float64", `9007199254740993`},
		{"true", `true`},
		{"false", `false`},
		{"null", `null`},
		{"empty object", `{}`},
		{"empty array", `[]`},
		{"array", `[1,"two",null,true,{"five":5}]`},
		{"nested object", `{"user":{"id":42,"roles":["admin","dev"],"prefs":{"theme":"dark","tz":null}}}`},
		{"object key order", `{"z":1,"a":2,"m":{"y":[],"b":{}}}`},
	}
	s := newStore(t)
	now := time.Now()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.json)) {
				t.Fatalf("test table: %s is not valid JSON", tt.json)
			}
			key := newKey()
			want := session.Record{Meta: liveMeta(now), Values: vals("v", tt.json, "other", `"x"`)}
			mustSave(t, s, key, want)
			wantRecord(t, s, key, want)
		})
	}
}

// Session keys (the names in Values) may hold any characters: the store must not
// split, escape or fold them.
func testKeyNames(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	names := keyNames()
	want := session.Record{Meta: liveMeta(time.Now()), Values: vals(
		"plain", "1",
		"with space", "2",
		"dotted.path", "3",
		"colon:sep", "4",
		"Zoë", "5",
		"quote\"and\\slash", "6",
		"UPPER", "7",
		"upper", "8",
		"$dollar", "9",
		"a/b", "10",
	)}
	for i, n := range names {
		want.Values[n] = json.RawMessage(fmt.Sprint(100 + i))
	}
	mustSave(t, s, key, want)
	wantRecord(t, s, key, want)

	// The same names through a patch, which some stores write another way.
	p, ok := s.(session.Patcher)
	if !ok {
		return
	}
	other := newKey()
	base := session.Record{Meta: liveMeta(time.Now()), Values: vals("keep", "1")}
	mustSave(t, s, other, base)
	set := make(map[string]json.RawMessage, len(names))
	for i, n := range names {
		set[n] = json.RawMessage(fmt.Sprint(200 + i))
	}
	if !mustPatch(t, p, other, session.Patch{Meta: base.Meta, Set: set}) {
		t.Fatal("Patch of a live record: got applied false, want true")
	}
	set["keep"] = json.RawMessage("1")
	wantRecord(t, s, other, session.Record{Meta: base.Meta, Values: set})
}

// keyNames are names session.CheckKey accepts that are easy to get wrong: every
// store must keep them byte for byte.
func keyNames() []string {
	names := []string{"", "\x01 control", "tab\tkey", "line\u2028separator", "emoji 🍪", "日本語", "\u00e9 precomposed", "e\u0301 combining", "{\"json\":1}", "'single'"}
	for _, n := range names {
		if session.CheckKey(n) != nil {
			panic("sessiontest: key name " + strconv.Quote(n) + " is not one session accepts")
		}
	}
	return names
}

// A record with 1000 keys round trips whole.
func testManyKeys(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	values := make(map[string]json.RawMessage, 1000)
	for i := range 1000 {
		values[fmt.Sprintf("key%04d", i)] = json.RawMessage(fmt.Sprintf(`{"i":%d,"s":"v%d"}`, i, i))
	}
	want := session.Record{Meta: liveMeta(time.Now()), Values: values}
	mustSave(t, s, key, want)
	got := wantRecord(t, s, key, want)
	if len(got.Values) != 1000 {
		t.Errorf("len(Values): got %d, want 1000", len(got.Values))
	}
}

// A 64 KiB value round trips whole, next to a small one.
func testLargeValue(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	var b strings.Builder
	b.WriteByte('"')
	for b.Len() < 64<<10 {
		fmt.Fprintf(&b, "chunk %d é <&> ", b.Len())
	}
	b.WriteByte('"')
	large := b.String()
	want := session.Record{Meta: liveMeta(time.Now()), Values: vals("large", large, "small", "1")}
	mustSave(t, s, key, want)
	wantRecord(t, s, key, want)
}
