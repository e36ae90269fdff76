package express_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/memstore"
)

func ExampleNewFormat() {
	f, err := express.NewFormat([]string{"sek-current", "sek-old"})
	if err != nil {
		panic(err)
	}
	value := f.AppendValue(nil, "ENEXZGbrammM35qNYL5qUXmPOcFM7qzC")
	fmt.Println(string(value))
	fmt.Println(f.Decode(string(value)))
	fmt.Println(f.Decode("s%3AENEXZGbrammM35qNYL5qUXmPOcFM7qzC.forged"))
	fmt.Println(string(f.AppendStoreKey([]byte("sess:"), "ENEXZGbrammM35qNYL5qUXmPOcFM7qzC")))
	// Output:
	// s%3AENEXZGbrammM35qNYL5qUXmPOcFM7qzC.HS8g8R8I8%2BxOdSgCP1rTIrwfeVDBxqiud6%2BQXaENuqs
	// ENEXZGbrammM35qNYL5qUXmPOcFM7qzC found
	//  malformed-cookie
	// sess:ENEXZGbrammM35qNYL5qUXmPOcFM7qzC
}

func ExampleRecords_Decode() {
	recs, _ := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	now := time.Date(2030, 1, 2, 3, 14, 5, 678e6, time.UTC)
	// What Express + passport stored; Redis says the key has 50 minutes left.
	data := `{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"cart":[1,2]}`
	rec, err := recs.Decode([]byte(data), 50*time.Minute, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(rec.User, rec.Idle, string(rec.Values["cart"]), rec.Expires().Format(time.TimeOnly))
	// Output: alice 1h0m0s [1,2] 04:04:05
}

func ExampleRecords_Encode() {
	recs, _ := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	now := time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)
	w := recs.Encode(session.Record{
		Meta:   session.Meta{Touched: now, Idle: time.Hour, User: "alice"},
		Values: map[string]json.RawMessage{"theme": json.RawMessage(`"\u003cdark\u003e"`)},
	}, now)
	fmt.Printf("SET sess:<id> %s EX %d\n", w.Value, w.TTL)
	// Output: SET sess:<id> {"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"theme":"<dark>"} EX 3600
}

func ExampleRecords_Patch() {
	recs, _ := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	now := time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)
	old := `{"cookie":{"originalMaxAge":3600000,"expires":"2001-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"flash":{"b":1, "a":2},"n":1}`
	w, _ := recs.Patch([]byte(old), session.Patch{
		Meta: session.Meta{Touched: now, Idle: time.Hour},
		Set:  map[string]json.RawMessage{"n": json.RawMessage(`2`)},
	}, now)
	fmt.Printf("%s EX %d\n", w.Value, w.TTL)
	// Only the touch: EXPIRE, the JSON as it was (connect-redis's touch).
	w, _ = recs.Patch([]byte(old), session.Patch{Meta: session.Meta{Touched: now, Idle: time.Hour}}, now)
	fmt.Println(w.Op == express.OpExpire, w.TTL)
	// Output:
	// {"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"flash":{"b":1, "a":2},"n":2} EX 3600
	// true 3600
}

func ExampleSessionConfig() {
	// In production the store is connectredis.New over the Express app's Redis;
	// any session.Store shows the configuration.
	store, _ := memstore.New(memstore.Config{})
	defer store.Close()
	cfg, err := express.SessionConfig(store, express.Options{
		Secrets: []string{"keyboard cat"},
		Cookie:  express.CookieOptions{MaxAge: 24 * time.Hour},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.Cookie.Name, cfg.IdleTimeout, cfg.AbsoluteTimeout, cfg.Cookie.SameSite)
	if _, err := session.New(cfg); err != nil {
		panic(err)
	}
	// Output: connect.sid 24h0m0s -1ns Lax
}

// Without the Express secret there is nothing to sign with.
func ExampleSessionConfig_wrong() {
	store, _ := memstore.New(memstore.Config{})
	defer store.Close()
	_, err := express.SessionConfig(store, express.Options{})
	fmt.Println(err)
	// Output: SES030: no Express secret given; fix: pass the secret (or secrets, newest first) the Express app uses
}

func ExampleNewUpgrader() {
	format, _ := express.NewFormat([]string{"keyboard cat"})
	store, _ := memstore.New(memstore.Config{}) // in production: connectredis.New
	defer store.Close()
	up, err := express.NewUpgrader(express.UpgraderConfig{Format: format, Store: store})
	if err != nil {
		panic(err)
	}
	_ = up.Handler // inside the native Manager's (or Stack's) Handler
	_, err = express.NewUpgrader(express.UpgraderConfig{})
	fmt.Println(err)
	// Output:
	// SES030: express: UpgraderConfig.Format is nil; fix: pass NewFormat(the Express secrets)
	// SES041: express: UpgraderConfig.Store is nil; fix: pass the connectredis store of the Express records
}
