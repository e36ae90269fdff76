package parse

import (
	"fmt"
	"strings"
)

// StatTicks reads utime+stime, in clock ticks, from the text of
// /proc/PID/stat (proc(5): fields 14 and 15, counting the whole process's
// threads).
func StatTicks(stat string) (int64, error) {
	// The command name (field 2) is in parentheses and may hold spaces and
	// parentheses itself: the fields resume after the last ')'.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/PID/stat: no command name")
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state), so utime (14) is f[11] and stime (15) f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/PID/stat: %d fields after the name, want at least 13", len(f))
	}
	u, err := nonNegative(f[11])
	if err != nil {
		return 0, fmt.Errorf("/proc/PID/stat utime: %w", err)
	}
	s, err := nonNegative(f[12])
	if err != nil {
		return 0, fmt.Errorf("/proc/PID/stat stime: %w", err)
	}
	return u + s, nil
}

// StatusRSS reads VmRSS, in bytes, from the text of /proc/PID/status.
func StatusRSS(status string) (int64, error) {
	for line := range strings.Lines(status) {
		v, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("/proc/PID/status: VmRSS %q, want \"N kB\"", strings.TrimSpace(v))
		}
		kb, err := nonNegative(f[0])
		if err != nil {
			return 0, fmt.Errorf("/proc/PID/status VmRSS: %w", err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("/proc/PID/status: no VmRSS")
}
