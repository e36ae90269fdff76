package pgstore

import (
	"strings"
	"testing"
)

func TestHugeNumber(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want bool
	}{
		{`1`, false}, {`1e308`, false}, {`-2.5E-999`, false}, {`{"a":[1e10,"x"]}`, false},
		{`1e170000`, true}, {`1E-1000`, true}, {`1e+0001`, true},
		{strings.Repeat("9", 1000), true}, {strings.Repeat("9", 999), false},
	} {
		if got := hugeNumber([]byte(tt.v)); got != tt.want {
			t.Errorf("hugeNumber(%.20s…) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
