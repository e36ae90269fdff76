package session_test

import (
	"strings"
	"testing"

	"github.com/sesame-go/sesame/session"
)

// TestReasonExplain: every reason has its own explanation, and the ones that
// point at a rule name one the catalogue has.
func TestReasonExplain(t *testing.T) {
	reasons := []session.Reason{session.NotLoaded, session.Found, session.NoCookie, session.Malformed,
		session.BadSignature, session.Unknown, session.StoreFailed}
	seen := map[string]session.Reason{}
	for _, r := range reasons {
		text := r.Explain()
		if text == "" || text == session.Reason(255).Explain() {
			t.Errorf("%s: got %q, want its own explanation", r, text)
		}
		if prev, ok := seen[text]; ok {
			t.Errorf("%s and %s: got the same explanation %q", prev, r, text)
		}
		seen[text] = r
	}
	for r, want := range map[session.Reason]string{session.NoCookie: "SES009", session.BadSignature: "SES021", session.Unknown: "SES022", session.StoreFailed: "SES031"} {
		if !strings.Contains(r.Explain(), want) {
			t.Errorf("%s: got %q, want it to name %s", r, r.Explain(), want)
		}
	}
}
