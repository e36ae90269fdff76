//go:build race

package session_test

// raceEnabled: the race detector makes sync.Pool drop entries (the keyring's
// pooled HMAC states), so allocation counts are only asserted without it.
const raceEnabled = true
