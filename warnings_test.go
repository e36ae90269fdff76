package sesame_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/problem"
)

// TestEveryWarningOnce: a Stack whose policy (SES007, SES032), CORS stage
// (SES027) and session stage (SES019) all warn holds each warning exactly once in
// Warnings and in Explain, and logs each exactly once (SES027 was logged twice,
// in two formats; SES019 was logged but missing from Warnings and Explain).
func TestEveryWarningOnce(t *testing.T) {
	var logs bytes.Buffer
	st, err := sesame.New(sesame.Config{
		APIOrigin:                       "https://api.example.com",
		FrontendOrigins:                 []string{"https://app.other.test", "http://app.example.com"},
		DangerouslyAllowInsecureOrigins: true,
		CORSMaxAge:                      3 * time.Hour,
		AbsoluteTimeout:                 500 * 24 * time.Hour,
		Keys:                            [][]byte{testKey},
		Store:                           memStore(t),
		Logger:                          slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []problem.ID{problem.ThirdPartyBlocking, problem.MixedScheme, problem.MaxAgeCapped, problem.LifetimeCapped}
	count := map[problem.ID]int{}
	for _, w := range st.Warnings() {
		count[w.Rule]++
		if w.Severity != problem.Warning {
			t.Errorf("Warnings holds %s with severity %v", w.Rule, w.Severity)
		}
	}
	logged := map[problem.ID]int{}
	for line := range strings.Lines(logs.String()) {
		var rec struct{ Rule problem.ID }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		logged[rec.Rule]++
	}
	explain := st.Explain()
	for _, id := range want {
		if count[id] != 1 {
			t.Errorf("Warnings: got %s %d times, want once (%v)", id, count[id], st.Warnings())
		}
		if logged[id] != 1 {
			t.Errorf("log: got %s %d times, want once:\n%s", id, logged[id], logs.String())
		}
		if n := strings.Count(explain, "Warning "+string(id)); n != 1 {
			t.Errorf("Explain: got %s %d times, want once:\n%s", id, n, explain)
		}
	}
	if len(st.Warnings()) != len(want) || strings.Count(logs.String(), "\n") != len(want) {
		t.Errorf("got %d warnings and %d log lines, want %d of each:\n%v\n%s", len(st.Warnings()), strings.Count(logs.String(), "\n"), len(want), st.Warnings(), logs.String())
	}
}
