package boltstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore"
	bolt "go.etcd.io/bbolt"
)

// TestFileMode: a new file is readable by its owner only, since it holds session
// data; Config.FileMode changes that.
func TestFileMode(t *testing.T) {
	tests := []struct {
		name string
		mode os.FileMode
		want os.FileMode
	}{
		{"default", 0, 0o600},
		{"group readable", 0o640, 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sessions.db")
			newStore(t, boltstore.Config{Path: path, FileMode: tt.mode})
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			// The umask may only take bits away.
			if got := fi.Mode().Perm(); got&^tt.want != 0 {
				t.Errorf("got mode %v, want at most %v", got, tt.want)
			}
		})
	}
}

// TestCorruptRecord writes garbage where a record should be: every read of it is a
// StoreError, never a panic or an empty session, and writing the key again repairs it.
func TestCorruptRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.db")
	s, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("sessions")).Put([]byte("broken"), []byte{9, 9, 9})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = newStore(t, boltstore.Config{Path: path})
	ctx := context.Background()
	var se *session.StoreError
	if _, _, err := s.Load(ctx, "broken"); !errors.As(err, &se) || se.Op != "load" {
		t.Errorf("Load: got %v, want a load StoreError", err)
	}
	if _, err := s.Patch(ctx, "broken", session.Patch{}); !errors.As(err, &se) || se.Op != "patch" {
		t.Errorf("Patch: got %v, want a patch StoreError", err)
	}
	if err := s.Range(ctx, func(string, session.Record) error { return nil }); !errors.As(err, &se) {
		t.Errorf("Range: got %v, want a StoreError", err)
	}
	if err := s.Save(ctx, "broken", session.Record{}); err != nil {
		t.Fatalf("Save over it: got %v, want nil", err)
	}
	if _, found, err := s.Load(ctx, "broken"); !found || err != nil {
		t.Errorf("Load after Save: got found=%v err=%v, want the new record", found, err)
	}
}
