package problem_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/sesame-go/sesame/problem"
)

func TestNewResponse(t *testing.T) {
	tests := []struct {
		name   string
		status int
		err    error
		want   problem.Response
	}{
		{"a rule", 403, problem.NewError(problem.OriginMismatch, "POST from \"https://evil.test\" refused", "add it"), problem.Response{
			Type: problem.DocsURL + "#ses035", Title: "The request's origin is not allowed", Status: 403,
			Detail: "POST from \"https://evil.test\" refused", Rule: "SES035", Fix: "add it",
		}},
		{"a wrapped rule", 503, fmt.Errorf("load: %w", &problem.Problem{Rule: problem.StoreUnavailable, Detail: "down"}), problem.Response{
			Type: problem.DocsURL + "#ses031", Title: "The session store failed or timed out", Status: 503, Detail: "down", Rule: "SES031",
		}},
		{"no rule", 500, errors.New("boom"), problem.Response{Type: "about:blank", Title: "Internal Server Error", Status: 500, Detail: "boom"}},
		{"nil", 500, nil, problem.Response{Type: "about:blank", Title: "Internal Server Error", Status: 500}},
		{"unknown id", 400, problem.NewError("SES999", "x", ""), problem.Response{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "x", Rule: "SES999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problem.NewResponse(tt.status, tt.err); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestWrite: over a real connection, the body is RFC 9457 problem+json and the
// headers another stage set before (CORS's) go out with it.
func TestWrite(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
		w.Header().Set("Vary", "Origin")
		problem.NewResponse(http.StatusForbidden, problem.NewError(problem.CSRFUnknownFrontend, "refused", "add it")).Write(w)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("status: got %d, want 403", resp.StatusCode)
	}
	for name, want := range map[string]string{
		"Content-Type":                "application/problem+json",
		"Cache-Control":               "no-store",
		"X-Content-Type-Options":      "nosniff",
		"Access-Control-Allow-Origin": "https://app.example.com",
		"Vary":                        "Origin",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	want := map[string]any{"type": problem.DocsURL + "#ses017", "title": problem.CSRFUnknownFrontend.Title(), "status": float64(403), "detail": "refused", "rule": "SES017", "fix": "add it"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("body: got %v, want %v", got, want)
	}
}

// TestTitles: every rule id has a title, and the URL is the docs anchor.
func TestTitles(t *testing.T) {
	for n := 1; n <= 41; n++ {
		id := problem.ID(fmt.Sprintf("SES%03d", n))
		if id.Title() == "" {
			t.Errorf("%s: got no title, want one", id)
		}
		if got, want := id.URL(), problem.DocsURL+fmt.Sprintf("#ses%03d", n); got != want {
			t.Errorf("%s: got URL %s, want %s", id, got, want)
		}
	}
	if got := problem.ID("SES999").Title(); got != "" {
		t.Errorf("unknown id: got title %q, want none", got)
	}
}

func ExampleResponse_Write() {
	w := httptest.NewRecorder()
	err := problem.NewError(problem.OriginMismatch, `POST from "https://evil.test" refused`, "")
	problem.NewResponse(http.StatusForbidden, err).Write(w)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	os.Stdout.Write(w.Body.Bytes())
	// Output:
	// 403 application/problem+json
	// {"type":"https://github.com/sesame-go/sesame/blob/main/docs/doctor.md#ses035","title":"The request's origin is not allowed","status":403,"detail":"POST from \"https://evil.test\" refused","rule":"SES035"}
}

func ExampleID_Title() {
	fmt.Println(problem.NoneWithoutSecure.Title())
	fmt.Println(problem.NoneWithoutSecure.URL())
	// Output:
	// SameSite=None without Secure
	// https://github.com/sesame-go/sesame/blob/main/docs/doctor.md#ses006
}
