package csrf_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/csrf"
)

func ExampleNew() {
	// Configure the front ends once, in the CORS stage, and trust the same list.
	c, err := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	protect, err := csrf.New(csrf.Config{Allowlist: c.Origins()})
	if err != nil {
		fmt.Println(err)
		return
	}
	api := c.Handler(protect.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "written")
	})))

	for _, o := range []string{"https://app.example.com", "https://evil.test"} {
		r := httptest.NewRequest("POST", "https://api.example.com/transfer", nil)
		r.Header.Set("Origin", o)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		fmt.Println(o, w.Code)
	}
	// Output:
	// https://app.example.com 200
	// https://evil.test 403
}

// The wrong way: "*" would let every site write with the user's cookies.
func ExampleNew_wrong() {
	_, err := csrf.New(csrf.Config{TrustedOrigins: []string{"*"}})
	fmt.Println(err)
	// Output: SES023: csrf.Config.TrustedOrigins has "*": every site could write with the user's cookies, which switches CSRF protection off; fix: list the front-end origins
}

func ExampleCSRF_Check() {
	protect, _ := csrf.New(csrf.Config{TrustedOrigins: []string{"http://localhost:5173"}})
	r := httptest.NewRequest("POST", "http://localhost:8080/login", nil)
	r.Header.Set("Origin", "http://localhost:3000")
	r.Header.Set("Sec-Fetch-Site", "same-site")
	fmt.Println(protect.Check(r))
	// Output: SES017: POST from "http://localhost:3000" refused: it is same-site with the API, so probably its own front end, but it is not a trusted origin (cross-origin request detected from Sec-Fetch-Site header); fix: add "http://localhost:3000" to csrf.Config.TrustedOrigins
}

func ExampleCSRF_Handler() {
	protect, _ := csrf.New(csrf.Config{TrustedOrigins: []string{"https://app.example.com"}})
	api := protect.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := httptest.NewRequest("POST", "https://api.example.com/things", nil)
	r.Header.Set("Origin", "https://evil.test")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	// Output: 403 application/problem+json
}

func ExampleWriteProblem() {
	w := httptest.NewRecorder()
	csrf.WriteProblem(w, fmt.Errorf("refused"))
	fmt.Print(w.Code, " ", w.Body.String())
	// Output: 403 {"type":"about:blank","title":"Cross-origin request refused","status":403,"detail":"refused"}
}
