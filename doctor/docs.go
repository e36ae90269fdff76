package doctor

import (
	"fmt"
	"io"
	"strings"
)

// Generated documentation. docs/doctor.md and the README's "Why is my cookie not
// set?" table are written from the catalogue by these functions, and a test fails
// when the committed files differ, so the documentation cannot drift from the code.

// WriteMarkdown writes the catalogue as Markdown: one section per rule, each under a
// heading whose anchor is the rule's lower-case id (#ses001).
func WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("<!-- Generated from doctor/catalogue.go by `go test ./doctor -run TestDocs -update`. Do not edit. -->\n\n")
	b.WriteString("# sesame doctor: why the cookie is not set\n\n")
	b.WriteString("Every misconfiguration sesame knows has a stable id. sesame reports it when a stage is\n")
	b.WriteString("constructed (`New` returns a `*problem.Problem` naming the rule), per request in the running\n")
	b.WriteString("server, or from outside with `sesame doctor`, which behaves as a browser on your front end's\n")
	b.WriteString("origin would, against any backend:\n\n")
	b.WriteString("```sh\nsesame doctor --origin https://app.example.com \\\n    --login https://api.example.com/api/login --data '{\"user\":\"ann\",\"password\":\"…\"}' \\\n    https://api.example.com/api/me\n```\n\n")
	b.WriteString("Flags: `--method`, `--header 'Name: value'`, `--resolve host:port:addr` (try fake host names\n")
	b.WriteString("locally), `--cacert ca.pem`, `--json`. Exit status 0: no errors (warnings allowed), 1: errors\n")
	b.WriteString("found, 2: could not probe. Each finding shows the rule, the exact header that shows it, the\n")
	b.WriteString("cause and the fix; what follows from it (the login a refused preflight kept from being sent\n")
	b.WriteString("sets no cookie) is listed under it, not as a second problem. When a CORS layer refuses a\n")
	b.WriteString("preflight, the doctor finds out why (the origin, the method or a header) with preflights of\n")
	b.WriteString("its own, which change nothing on the server.\n\n")
	b.WriteString(browserSection)
	b.WriteString("| Rule | Title | Severity | Caught at |\n|---|---|---|---|\n")
	for _, r := range catalogue {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s |\n", r.ID, r.Anchor(), cell(r.Title), r.Severity, r.Layers)
	}
	for _, r := range catalogue {
		fmt.Fprintf(&b, "\n## %s\n\n", r.ID)
		fmt.Fprintf(&b, "**%s** (%s; caught at: %s)\n\n", r.Title, r.Severity, r.Layers)
		fmt.Fprintf(&b, "**What you see.** %s\n\n", r.Symptom)
		fmt.Fprintf(&b, "**Why.** %s\n\n", r.Cause)
		fmt.Fprintf(&b, "**Fix with sesame.** %s\n\n", r.Fix)
		if r.Express != "" {
			fmt.Fprintf(&b, "**Fix with Express.** %s\n\n", r.Express)
		}
		if len(r.Refs) > 0 {
			b.WriteString("**References.**\n\n")
			for _, ref := range r.Refs {
				fmt.Fprintf(&b, "- %s\n", ref)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Markers around the README section that WriteTable generates.
const (
	TableBegin = "<!-- doctor:begin -->"
	TableEnd   = "<!-- doctor:end -->"
)

// browserSection documents `sesame doctor --browser` (cmd/sesame/internal/browserprobe).
const browserSection = "## In a real browser: `--browser` and `--page`\n\n" +
	"Two failures cannot be seen over HTTP: a front end that does not send credentials (SES009), and\n" +
	"a cookie the browser refuses for a reason of its own, such as third-party cookie blocking in a\n" +
	"default profile. `--browser` runs the same sequence in Chromium (yours: `--browser-path`, else\n" +
	"`chromium`, `chromium-browser` or `google-chrome` on PATH; without one, the doctor says so and\n" +
	"runs the HTTP probe). The page on the front end's origin is served through the DevTools\n" +
	"protocol's request interception, in a fresh profile with third-party cookies blocked as by\n" +
	"default (`--third-party-cookies` for the other setting). Each finding carries Chromium's own\n" +
	"words: the reasons it refused a Set-Cookie (`blockedReasons`, e.g. `ThirdPartyPhaseout`,\n" +
	"`UserPreferences`, `SameSiteLax`), the cookies it did not send and why, and the CORS error it\n" +
	"raised with its console message. Findings only the HTTP probe can make (Vary, exposed headers,\n" +
	"other browsers' rules) are added; in `--json` every finding and exchange names its `probe`\n" +
	"(`browser` or `http`).\n\n" +
	"```sh\nsesame doctor --browser --origin https://app.example.com \\\n" +
	"    --login https://api.example.com/api/login --data '{\"user\":\"ann\",\"password\":\"…\"}' \\\n" +
	"    --page https://app.example.com/ --wait 5s https://api.example.com/api/me\n```\n\n" +
	"With `--page` the real front end is opened after the login and runs for `--wait`; every request\n" +
	"it sends to the API without the cookie the browser holds is SES009, named with its method and\n" +
	"URL. Chromium runs in its own process group, killed when the run ends or `--timeout` passes.\n\n"

// WriteTable writes the README's compact table, markers included: id, what you
// see, the fix, and a link to the rule's section at docsPath (e.g. "docs/doctor.md").
func WriteTable(w io.Writer, docsPath string) error {
	var b strings.Builder
	b.WriteString(TableBegin + "\n")
	b.WriteString("## Why is my cookie not set?\n\n")
	b.WriteString("Run `sesame doctor --origin https://your-front-end https://your-api/some/route` (it works on\n")
	b.WriteString("any backend, Express included), or find the symptom below. Generated from the catalogue in\n")
	b.WriteString("`doctor/`; every rule is explained in [" + docsPath + "](" + docsPath + ").\n")
	b.WriteString("Add `--browser` to run the same calls in Chromium and get its own reasons (blocked cookies,\n")
	b.WriteString("CORS errors), and `--page URL` to catch a front end that does not send credentials (SES009).\n\n")
	b.WriteString("| Rule | You see | Fix |\n|---|---|---|\n")
	for _, r := range catalogue {
		fmt.Fprintf(&b, "| [%s](%s#%s) | %s | %s |\n", r.ID, docsPath, r.Anchor(), cell(brief(r.Symptom)), cell(brief(r.Fix)))
	}
	b.WriteString(TableEnd + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// brief is the first sentence of s, or its first words when that is long.
func brief(s string) string {
	const max = 160
	if i := strings.Index(s, ". "); i >= 0 && i < max {
		return s[:i+1]
	}
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndex(s[:max], " ")
	if cut < 0 {
		cut = max
	}
	return strings.TrimRight(s[:cut], " ,:;") + " …"
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
