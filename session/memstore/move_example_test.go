package memstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

// Move is what Session.Regenerate calls: the new key gets the stored record as
// it is now plus the patch, and a Delete of the old key (a logout that loaded
// the session before the rotation) still removes the new one.
func ExampleStore_Move() {
	s, err := memstore.New(memstore.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ctx := context.Background()
	now := time.Now()
	meta := session.Meta{Created: now, Touched: now, Idle: 30 * time.Minute}
	if err := s.Save(ctx, "old", session.Record{Meta: meta, Values: map[string]json.RawMessage{"cart": json.RawMessage("3")}}); err != nil {
		fmt.Println(err)
		return
	}
	meta.User = "alice"
	moved, err := s.Move(ctx, "old", "new", session.Patch{Meta: meta})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, found, err := s.Load(ctx, "new")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(moved, found, rec.User, string(rec.Values["cart"]))

	again, err := s.Move(ctx, "old", "newer", session.Patch{Meta: meta})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("second move of the old key:", again)

	if err := s.Delete(ctx, "old"); err != nil {
		fmt.Println(err)
		return
	}
	_, found, err = s.Load(ctx, "new")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("new key after Delete of the old one:", found)
	// Output:
	// true true alice 3
	// second move of the old key: false
	// new key after Delete of the old one: false
}
