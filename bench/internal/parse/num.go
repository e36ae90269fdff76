package parse

import (
	"fmt"
	"strconv"
)

// maxCount bounds every count the parsers accept, so that sums of a few of
// them cannot overflow and durations in microseconds stay representable.
const maxCount = 1 << 50

func nonNegative(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	if n < 0 || n > maxCount {
		return 0, fmt.Errorf("%d is out of range", n)
	}
	return n, nil
}
