package express_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sesame-go/sesame/compat/express"
	"github.com/sesame-go/sesame/session"
)

const benchRecord = `{"cookie":{"originalMaxAge":3600000,"expires":"2030-01-02T04:04:05.678Z","httpOnly":true,"path":"/"},"passport":{"user":"alice"},"cart":[1,2,3],"theme":"dark","flash":{"info":["saved"]}}`

func BenchmarkRecords(b *testing.B) {
	recs, _ := express.NewRecords(express.CookieOptions{MaxAge: time.Hour}, 0)
	data := []byte(benchRecord)
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := recs.Decode(data, time.Hour, testNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PatchOneKey", func(b *testing.B) {
		p := session.Patch{Meta: session.Meta{Touched: testNow, Idle: time.Hour, User: "alice"},
			Set: map[string]json.RawMessage{"theme": json.RawMessage(`"light"`)}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := recs.Patch(data, p, testNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Touch", func(b *testing.B) {
		p := session.Patch{Meta: session.Meta{Touched: testNow, Idle: time.Hour, User: "alice"}}
		b.ReportAllocs()
		for b.Loop() {
			if w, err := recs.Patch(data, p, testNow); err != nil || w.Op != express.OpExpire {
				b.Fatal(w.Op, err)
			}
		}
	})
}
