package doctor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"

	"github.com/sesame-go/sesame/doctor"
	"github.com/sesame-go/sesame/problem"
)

// Probing a backend that answers every origin with "*": the finding names the
// rule and quotes the header.
func ExampleProbe() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*") // the wrong way, with credentials
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	report, err := doctor.Probe(context.Background(), doctor.ProbeConfig{
		Origin: "http://localhost:5173",
		URL:    srv.URL + "/api/me",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s: %s\n", f.Rule, f.Severity, f.Evidence)
	}
	// Output:
	// SES003 error: Access-Control-Allow-Origin: *
	// SES004 error: (no Access-Control-Allow-Credentials header)
}

// A SameSite=Lax cookie from an API on another site is never stored.
func ExampleEvaluateSetCookie() {
	c, _ := doctor.ParseSetCookie("sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
	api, _ := url.Parse("https://api.herokuapp.com/login")
	front, _ := url.Parse("https://app.herokuapp.com")
	v := doctor.EvaluateSetCookie(c, doctor.CookieContext{URL: api, Origin: front})
	fmt.Println("stored:", v.Stored)
	for _, p := range v.Problems {
		fmt.Println(p.Rule, p.Severity)
	}
	// Output:
	// stored: false
	// SES005 error
}

func ExampleParseSetCookie() {
	c, err := doctor.ParseSetCookie("__Host-sid=abc; Path=/; Secure; SameSite=none; Partitioned")
	fmt.Println(c.Name, c.SameSite, c.Secure, c.Partitioned, err)
	// Output: __Host-sid None true true <nil>
}

func ExampleLookup() {
	r, _ := doctor.Lookup(problem.NoneWithoutSecure)
	fmt.Println(r.Title)
	fmt.Println(r.URL())
	// Output:
	// SameSite=None without Secure
	// https://github.com/sesame-go/sesame/blob/main/docs/doctor.md#ses006
}

func ExampleRules() {
	for _, r := range doctor.Rules()[:3] {
		fmt.Println(r.ID, r.Layers)
	}
	// Output:
	// SES001 request, probe
	// SES002 request, probe
	// SES003 construction, probe
}

func ExampleWriteTable() {
	var b strings.Builder
	doctor.WriteTable(&b, "docs/doctor.md")
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "| [SES006]") {
			fmt.Println(line[:40])
		}
	}
	// Output: | [SES006](docs/doctor.md#ses006) | Chro
}

func ExampleWriteMarkdown() {
	doctor.WriteMarkdown(os.Stdout) // what docs/doctor.md holds
}
