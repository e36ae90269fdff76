//go:build !race

package express_test

const raceEnabled = false
