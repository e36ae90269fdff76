package sessiontest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/session/sessiontest"
)

// A store that keeps the contract in the laxest way allowed (values re-encoded
// with keys sorted and <>& escaped, times cut to the microsecond and moved to
// UTC, as PostgreSQL does) passes the whole suite.
func TestReferenceStorePasses(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    defects
	}{
		{"exact", defects{}},
		{"normalising", defects{normalise: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sessiontest.Run(t, func(t *testing.T) session.Store { return newRefStore(tt.d) })
		})
	}
}

// brokenStores maps each defect to the subtest that must catch it.
var brokenStores = map[string]struct {
	d        defects
	caughtBy string // a subtest of Run
}{
	"shares-saved-map":  {defects{sharesSaved: true}, "Aliasing/SaveKeepsNoReference"},
	"mutates-in-place":  {defects{mutatesInPlace: true}, "Aliasing/LoadedValuesImmutable"},
	"resurrects":        {defects{resurrects: true}, "Patch/MissingRecord"},
	"ignores-expiry":    {defects{ignoresExpiry: true}, "Expiry/DeadlinePassedAtSave"},
	"ignores-context":   {defects{ignoresCtx: true}, "Context/Cancelled/Load"},
	"milliseconds":      {defects{milliseconds: true}, "Basic/RoundTrip"},
	"lost-updates":      {defects{lostUpdates: true}, "Patch/ConcurrentDisjointKeys"},
	"lists-anonymous":   {defects{listsAnonymous: true}, "UserIndex/AnonymousNotListed"},
	"stale-index":       {defects{staleIndex: true}, "UserIndex/DeleteUnlists"},
	"ranges-expired":    {defects{rangesExpired: true}, "Iterator/VisitsEachLiveRecordOnce"},
	"range-goes-on":     {defects{rangeGoesOn: true}, "Iterator/StopsAtFirstError"},
	"zero-absolute":     {defects{zeroAbsolute: true}, "Basic/RoundTripZeroDeadlines"},
	"ignores-expiry-ix": {defects{ignoresExpiry: true}, "UserIndex/ExpiredNotListed"},
	// The rotation before Mover (issue 15): each race case catches it.
	"save-then-delete-logout":   {defects{saveThenDelete: true}, "Move/RaceLogout"},
	"save-then-delete-everyone": {defects{saveThenDelete: true}, "Move/RaceSignOutEverywhere"},
	"save-then-delete-write":    {defects{saveThenDelete: true}, "Move/RaceConcurrentWrite"},
}

const brokenEnv = "SESSIONTEST_BROKEN_STORE"

// Each defect makes Run fail, in the subtest meant to catch it. A failing test
// cannot be observed from inside the same test binary, so each runs in a child
// process of this one (TestBrokenStore).
func TestSuiteCatchesDefects(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		t.Skip("in a child process")
	}
	for name, bs := range brokenStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // child processes spend their time waiting for deadlines
			group, _, _ := strings.Cut(bs.caughtBy, "/")
			cmd := exec.CommandContext(t.Context(), os.Args[0],
				"-test.run=^TestBrokenStore$/^"+group+"$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("Run against a store that %s: got pass, want failure\n%s", name, out)
			}
			want := "--- FAIL: TestBrokenStore/" + bs.caughtBy
			if !strings.Contains(string(out), want) {
				t.Errorf("Run against a store that %s: got output without %q, want it\n%s", name, want, out)
			}
		})
	}
}

// TestBrokenStore runs the suite against the broken store named by the
// environment; it only runs as a child of TestSuiteCatchesDefects.
func TestBrokenStore(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("runs only as a child process of TestSuiteCatchesDefects")
	}
	bs, ok := brokenStores[name]
	if !ok {
		t.Fatalf("%s=%q: no such broken store", brokenEnv, name)
	}
	sessiontest.Run(t, func(t *testing.T) session.Store { return newRefStore(bs.d) })
}
