package origin_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/origin"
	"github.com/sesame-go/sesame/problem"
)

// TestTrailingDotReason: an allowlist entry ending in a dot stays refused, for a
// true reason: browsers do send such an origin (the URL Standard keeps the dot),
// and it is a different origin from the dotless one (issue 14, defect 7). The old
// text said only "has a trailing dot", next to a package doc claiming browsers
// never send it.
func TestTrailingDotReason(t *testing.T) {
	_, probs := origin.ParsePattern("https://app.example.com.")
	if len(probs) != 1 || probs[0].Rule != problem.MalformedOrigin {
		t.Fatalf("got %v, want one %s", probs, problem.MalformedOrigin)
	}
	for _, want := range []string{"browsers do send", "different origin from \"https://app.example.com\""} {
		if !strings.Contains(probs[0].Detail, want) {
			t.Errorf("detail: got %q, want it to contain %q", probs[0].Detail, want)
		}
	}
	if want := `"https://app.example.com"`; !strings.Contains(probs[0].Fix, want) {
		t.Errorf("fix: got %q, want it to contain %q", probs[0].Fix, want)
	}
	// The dotted origin a browser sends is not the dotless entry's.
	l, err := origin.ParseList([]string{"https://app.example.com"}, origin.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Allows("https://app.example.com.") {
		t.Errorf("Allows(%q): got true, want false (another origin)", "https://app.example.com.")
	}
}
