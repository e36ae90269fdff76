package contestant

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sesame-go/sesame/stores/boltstore"
	bolt "go.etcd.io/bbolt"
)

// BoltSeed is what SeedBolt did.
type BoltSeed struct {
	// Empty and Full are the bytes bbolt had allocated in the file (Tx.Size:
	// its high-water mark, the pages up to the last one in use) before the
	// first session and after the last. The file itself is longer: bbolt grows
	// it ahead of need, doubling up to 1 GiB.
	Empty, Full int64
	// FileSize is the length of the file written.
	FileSize int64
}

// SeedBolt fills a new bbolt file at path with n sessions of sesame-bolt,
// before a benchmark server opens it, and writes their Cookie header values to
// w, one per line. The records are minted as Seed mints them and written by
// boltstore's own Save, one transaction each, into a file under stage (a
// tmpfs such as /dev/shm makes bbolt's per-transaction fsync free), which is
// then copied to path and synced once. The file is the one a server would
// have written session by session; only its seeding skips the fsyncs.
func SeedBolt(ctx context.Context, path, stage string, n int, w io.Writer) (BoltSeed, error) {
	var out BoltSeed
	tmp, err := os.MkdirTemp(stage, "sesame-bolt-seed-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "sessions.db")
	st, err := boltstore.New(boltstore.Config{Path: file, Logger: quiet, SweepInterval: -1})
	if err != nil {
		return out, err
	}
	if err := st.Close(); err != nil {
		return out, err
	}
	if out.Empty, err = boltSize(file); err != nil {
		return out, err
	}
	st, err = boltstore.New(boltstore.Config{Path: file, Logger: quiet, SweepInterval: -1})
	if err != nil {
		return out, err
	}
	defer st.Close()
	s := &Server{}
	for done := 0; done < n; done += seedChunk {
		cookies, es, err := s.mint(ctx, min(seedChunk, n-done), 4)
		if err != nil {
			return out, fmt.Errorf("sesame-bolt: minting sessions: %w", err)
		}
		for _, e := range es {
			if err := st.Save(ctx, e.Key, e.Record); err != nil {
				return out, err
			}
		}
		for _, c := range cookies {
			if _, err := io.WriteString(w, c+"\n"); err != nil {
				return out, err
			}
		}
		for _, e := range es[:min(len(es), 10)] {
			if err := sameRecord(ctx, st.Load, e); err != nil {
				return out, fmt.Errorf("sesame-bolt: %w", err)
			}
		}
	}
	if err := st.Close(); err != nil {
		return out, err
	}
	if out.Full, err = boltSize(file); err != nil {
		return out, err
	}
	out.FileSize, err = copyFile(path, file)
	return out, err
}

// boltSize is the Tx.Size of the bbolt file at path.
func boltSize(path string) (int64, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n, err
}

// copyFile copies src to a new file dst, syncs it and returns its length.
func copyFile(dst, src string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}
