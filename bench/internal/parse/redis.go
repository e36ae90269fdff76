package parse

import (
	"fmt"
	"strings"
)

// CommandStats reads INFO commandstats: the calls of each command so far, by
// lower-case name. Lines it cannot read are skipped.
//
//	cmdstat_get:calls=3,usec=12,usec_per_call=4.00,rejected_calls=0,failed_calls=0
func CommandStats(info string) map[string]int64 {
	out := make(map[string]int64)
	for line := range strings.Lines(info) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "cmdstat_")
		if !ok {
			continue
		}
		name, kv, ok := strings.Cut(rest, ":")
		if !ok || name == "" {
			continue
		}
		for f := range strings.SplitSeq(kv, ",") {
			if v, ok := strings.CutPrefix(f, "calls="); ok {
				if n, err := nonNegative(v); err == nil {
					out[strings.ToLower(name)] = n
				}
			}
		}
	}
	return out
}

// InfoInt reads an integer field of an INFO section, e.g. used_memory.
func InfoInt(info, field string) (int64, error) {
	for line := range strings.Lines(info) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && k == field {
			return nonNegative(v)
		}
	}
	return 0, fmt.Errorf("INFO: no %s field", field)
}
