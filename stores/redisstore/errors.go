package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/sesame-go/sesame/session"
)

// fail wraps err as the StoreError of op, and makes sure it wraps ctx.Err() (and
// its cause, e.g. session.ErrStoreTimeout) when the context is done: go-redis
// reports a context deadline that reached the socket as an i/o timeout.
func fail(ctx context.Context, op string, err error) error {
	if ce := ctx.Err(); ce != nil {
		if !errors.Is(err, ce) {
			err = fmt.Errorf("%w: %w", ce, err)
		}
		if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
			err = fmt.Errorf("%w: %w", cause, err)
		}
	}
	return &session.StoreError{Store: Name, Op: op, Err: err}
}

// warnOnce logs each undecodable record once, so that a foreign key under the
// prefix that every request trips over does not flood the log. It remembers a
// bounded number of keys and forgets them all when full.
type warnOnce struct {
	logger *slog.Logger
	mu     sync.Mutex
	seen   map[string]struct{}
}

const maxRemembered = 1024

func newWarnOnce(l *slog.Logger) *warnOnce {
	return &warnOnce{logger: l, seen: make(map[string]struct{})}
}

func (w *warnOnce) corrupt(key string, err error) {
	id := logKey(key)
	w.mu.Lock()
	_, dup := w.seen[id]
	if !dup {
		if len(w.seen) >= maxRemembered {
			clear(w.seen)
		}
		w.seen[id] = struct{}{}
	}
	w.mu.Unlock()
	if dup {
		return
	}
	l := w.logger
	if l == nil {
		l = slog.Default()
	}
	l.Warn("redisstore: ignoring a session record that cannot be decoded; it is treated as missing",
		"key", id, "reason", err.Error())
}

// logKey is how a store key appears in logs. The Manager's store keys are
// already SHA-256 hashes of the session ID (43 characters of base64url) and are
// logged as they are; any other key (express compatibility mode stores the raw
// ID) is hashed first, so no usable token reaches the log.
func logKey(key string) string {
	if len(key) == 43 {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:16])
}
