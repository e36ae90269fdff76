package sesame_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/problem"
)

// TestAPIOriginParsed: the API origin goes through origin's pattern parser, so it
// is refused for the same reasons, with the same rule ids, as a front-end origin.
func TestAPIOriginParsed(t *testing.T) {
	tests := []struct {
		api  string
		want problem.ID
		in   string
	}{
		{"https://api.example.com/", problem.MalformedOrigin, "trailing slash"},
		{"https://API.example.com", problem.MalformedOrigin, "upper case"},
		{"https://api.example.com:443", problem.MalformedOrigin, "default port"},
		{"null", problem.NullOrigin, "null"},
		{"https://*.example.com", problem.MalformedOrigin, "cannot be a pattern"},
		{"http://localhost:*", problem.MalformedOrigin, "cannot be a pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.api, func(t *testing.T) {
			_, err := sesame.New(sesame.Config{APIOrigin: tt.api, Keys: [][]byte{testKey}, Store: memStore(t)})
			var p *problem.Problem
			if !errors.As(err, &p) {
				t.Fatalf("got %v, want a *problem.Problem", err)
			}
			if p.Rule != tt.want || !strings.Contains(p.Error(), tt.in) || !strings.Contains(p.Detail, "APIOrigin") {
				t.Errorf("got %v, want %s naming APIOrigin and %q", p, tt.want, tt.in)
			}
		})
	}
}
