package boltstore_test

import (
	"crypto/rand"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/sesame-go/sesame/stores/boltstore"
	bolt "go.etcd.io/bbolt"
)

// newStore opens a store on a fresh file, without a sweep goroutine unless cfg
// asks for one, and closes it when the test ends.
func newStore(tb testing.TB, cfg boltstore.Config) *boltstore.Store {
	tb.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(tb.TempDir(), "sessions.db")
	}
	if cfg.SweepInterval == 0 {
		cfg.SweepInterval = -1
	}
	s, err := boltstore.New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// newKey returns a store key shaped like the Manager's: 43 base64url characters.
func newKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// contents is what a closed store's file holds, read with bbolt itself.
type contents struct {
	sessions int            // records, live or not
	users    map[string]int // user → entries in the user index
	expiry   int            // entries in the expiry index
}

func readFile(t *testing.T, path string) contents {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("opening %s read-only: %v", path, err)
	}
	defer db.Close()
	c := contents{users: map[string]int{}}
	err = db.View(func(tx *bolt.Tx) error {
		c.sessions = tx.Bucket([]byte("sessions")).Stats().KeyN
		c.expiry = tx.Bucket([]byte("expiry")).Stats().KeyN
		return tx.Bucket([]byte("users")).ForEachBucket(func(user []byte) error {
			c.users[string(user)] = tx.Bucket([]byte("users")).Bucket(user).Stats().KeyN
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
