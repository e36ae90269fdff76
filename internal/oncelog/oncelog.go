// Package oncelog logs each cause of a diagnostic once, with a bound on how many
// causes it remembers, for the stages that report misconfigurations per request.
package oncelog

import (
	"context"
	"log/slog"
	"sync"

	"github.com/sesame-go/sesame/problem"
)

// maxCausesPerRule bounds how many distinct causes of one rule are remembered for
// once-only logging: causes carry request data (an origin, a header name), and an
// attacker must not be able to grow the set, flood the log, or use up the room of
// another rule's diagnostics.
const maxCausesPerRule = 64

// A Log logs each cause of a rule once. Only refusals and misbehaving handlers
// reach it, so its mutex is off the hot path of allowed requests. The zero Log
// logs to slog.Default(). It is safe for concurrent use.
type Log struct {
	Logger *slog.Logger

	mu    sync.Mutex
	seen  map[string]struct{}
	count map[problem.ID]int
}

// Note logs msg with attrs and a "rule" attribute, unless this rule and key were
// logged before.
func (o *Log) Note(rule problem.ID, key, msg string, attrs ...slog.Attr) {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	k := string(rule) + "\x00" + key
	o.mu.Lock()
	if _, dup := o.seen[k]; dup {
		o.mu.Unlock()
		return
	}
	n := o.count[rule]
	if n > maxCausesPerRule {
		o.mu.Unlock()
		return
	}
	if o.seen == nil {
		o.seen = make(map[string]struct{})
		o.count = make(map[problem.ID]int)
	}
	o.count[rule] = n + 1
	if n < maxCausesPerRule {
		o.seen[k] = struct{}{}
	}
	o.mu.Unlock()
	if n == maxCausesPerRule {
		log.LogAttrs(context.Background(), slog.LevelWarn, "too many distinct causes; further ones are not logged",
			slog.String("rule", string(rule)), slog.Int("limit", maxCausesPerRule))
		return
	}
	log.LogAttrs(context.Background(), slog.LevelWarn, msg, append(attrs, slog.String("rule", string(rule)))...)
}
