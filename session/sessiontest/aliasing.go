package sessiontest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
)

var aliasingRules = []rule{
	{"SaveKeepsNoReference", testSaveKeepsNoReference},
	{"PatchKeepsNoReference", testPatchKeepsNoReference},
	{"LoadedValuesImmutable", testLoadedValuesImmutable},
}

// Changing the map (or the bytes of a value) passed to Save after Save returned
// does not change the stored record: the Manager reuses its buffers.
func testSaveKeepsNoReference(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	raw := []byte(`"abc"`)
	values := map[string]json.RawMessage{"a": json.RawMessage(`1`), "b": json.RawMessage(`2`), "raw": raw}
	want := session.Record{Meta: liveMeta(time.Now()), Values: cloneValues(values)}
	mustSave(t, s, key, session.Record{Meta: want.Meta, Values: values})

	values["a"] = json.RawMessage(`99`)
	values["c"] = json.RawMessage(`3`)
	delete(values, "b")
	copy(raw, `"XYZ"`)
	wantRecord(t, s, key, want)
}

// Changing the Set map (or its bytes) after Patch returned does not change the
// stored record.
func testPatchKeepsNoReference(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	p, ok := s.(session.Patcher)
	if !ok {
		t.Skip("store does not implement session.Patcher")
	}
	key := newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1")})
	raw := []byte(`"abc"`)
	set := map[string]json.RawMessage{"b": json.RawMessage(`2`), "raw": raw}
	if !mustPatch(t, p, key, session.Patch{Meta: meta, Set: set}) {
		t.Fatal("Patch of a live record: got applied false, want true")
	}
	set["b"] = json.RawMessage(`99`)
	set["c"] = json.RawMessage(`3`)
	copy(raw, `"XYZ"`)
	wantRecord(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", "2", "raw", `"abc"`)})
}

// A Values map that Load returned never changes afterwards, whatever later
// Patch, Save or Delete calls do: stores that hand out shared maps replace them
// instead of changing them (session.Store.Load).
func testLoadedValuesImmutable(t *testing.T, newStore func(*testing.T) session.Store) {
	s := newStore(t)
	key := newKey()
	meta := liveMeta(time.Now())
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("a", "1", "b", "2")})
	loaded, found := mustLoad(t, s, key)
	if !found {
		t.Fatal("Load after Save: got found false, want true")
	}
	snapshot := cloneValues(loaded.Values)

	if p, ok := s.(session.Patcher); ok {
		mustPatch(t, p, key, session.Patch{Meta: meta, Set: vals("a", "10", "c", "3"), Delete: []string{"b"}})
	}
	mustSave(t, s, key, session.Record{Meta: meta, Values: vals("d", "4")})
	mustDelete(t, s, key)

	if len(loaded.Values) != len(snapshot) {
		t.Errorf("len(loaded Values) after later writes: got %d, want %d", len(loaded.Values), len(snapshot))
	}
	for k, want := range snapshot {
		if got, ok := loaded.Values[k]; !ok || !bytes.Equal(got, want) {
			t.Errorf("loaded Values[%q] after later writes: got %s, want %s", k, got, want)
		}
	}
}

func cloneValues(m map[string]json.RawMessage) map[string]json.RawMessage {
	c := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		c[k] = bytes.Clone(v)
	}
	return c
}
