package memstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session/memstore"
)

// problems returns the *problem.Problem values joined in err.
func problems(err error) []*problem.Problem {
	var out []*problem.Problem
	var walk func(error)
	walk = func(err error) {
		if p, ok := err.(*problem.Problem); ok {
			out = append(out, p)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		config  memstore.Config
		details []string // one substring per expected problem, in order
	}{
		{"zero config", memstore.Config{}, nil},
		{"explicit values", memstore.Config{MaxEntries: 10, SweepInterval: time.Second}, nil},
		{"negative MaxEntries", memstore.Config{MaxEntries: -1}, []string{"MaxEntries is -1"}},
		{"negative SweepInterval", memstore.Config{SweepInterval: -time.Second}, []string{"SweepInterval is -1s"}},
		{"SweepInterval too short", memstore.Config{SweepInterval: 999 * time.Millisecond}, []string{"SweepInterval is 999ms"}},
		{"all at once", memstore.Config{MaxEntries: -5, SweepInterval: time.Nanosecond},
			[]string{"MaxEntries is -5", "SweepInterval is 1ns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := memstore.New(tt.config)
			if len(tt.details) == 0 {
				if err != nil {
					t.Fatalf("New(%+v): got error %v, want nil", tt.config, err)
				}
				if err := s.Close(); err != nil {
					t.Errorf("Close: got error %v, want nil", err)
				}
				return
			}
			if s != nil {
				t.Errorf("New(%+v): got a store, want nil", tt.config)
			}
			ps := problems(err)
			if len(ps) != len(tt.details) {
				t.Fatalf("New(%+v): got %d problems (%v), want %d", tt.config, len(ps), err, len(tt.details))
			}
			for i, p := range ps {
				if p.Rule != problem.InvalidStoreConfig || p.Severity != problem.Error {
					t.Errorf("problem %d: got rule %s severity %v, want SES041 error", i, p.Rule, p.Severity)
				}
				if !strings.Contains(p.Detail, tt.details[i]) {
					t.Errorf("problem %d detail: got %q, want it to contain %q", i, p.Detail, tt.details[i])
				}
				if p.Fix == "" {
					t.Errorf("problem %d fix: got empty, want a fix", i)
				}
			}
			var p *problem.Problem
			if !errors.As(err, &p) {
				t.Errorf("errors.As(err, *problem.Problem): got false, want true")
			}
		})
	}
}
