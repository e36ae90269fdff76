//go:build race

package express_test

// raceEnabled: the race detector makes sync.Pool drop entries, so allocation
// counts are not meaningful.
const raceEnabled = true
