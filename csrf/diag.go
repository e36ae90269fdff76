package csrf

import (
	"context"
	"log/slog"
	"sync"

	"github.com/sesame-go/sesame/doctor"
)

// maxCauses bounds how many distinct causes are remembered for once-only logging:
// causes carry request data (an origin, a header name), and an attacker must not be
// able to grow the set or flood the log.
const maxCauses = 256

// onceLog logs each cause once. Only refusals and misbehaving handlers reach it, so
// the mutex is off the hot path of allowed requests.
type onceLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	seen map[string]struct{}
	full bool
}

func (o *onceLog) note(rule doctor.ID, key, msg string, attrs ...slog.Attr) {
	o.mu.Lock()
	k := string(rule) + "\x00" + key
	_, dup := o.seen[k]
	switch {
	case dup:
		o.mu.Unlock()
		return
	case len(o.seen) >= maxCauses:
		first := !o.full
		o.full = true
		o.mu.Unlock()
		if first && o.log != nil {
			o.log.Warn("csrf: too many distinct causes; further ones are not logged", slog.Int("limit", maxCauses))
		}
		return
	}
	if o.seen == nil {
		o.seen = make(map[string]struct{})
	}
	o.seen[k] = struct{}{}
	o.mu.Unlock()
	log := o.log
	if log == nil {
		log = slog.Default()
	}
	log.LogAttrs(context.Background(), slog.LevelWarn, msg, append(attrs, slog.String("rule", string(rule)))...)
}
