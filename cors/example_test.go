package cors_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/sesame-go/sesame/cors"
)

func ExampleNew() {
	c, err := cors.New(cors.Config{
		Origins:     []string{"https://app.example.com", "http://localhost:5173"},
		Credentials: true,
		Methods:     []string{"PUT", "PATCH", "DELETE"},
		MaxAge:      time.Hour,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	api := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))

	r := httptest.NewRequest("OPTIONS", "https://api.example.com/things/1", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "DELETE")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Methods"))
	// Output: 204 https://app.example.com GET, HEAD, POST, PUT, PATCH, DELETE
}

// The wrong way: every mistake is reported at once, before the server starts.
func ExampleNew_wrong() {
	_, err := cors.New(cors.Config{
		Origins:       []string{"*", "https://app.example.com/"},
		Credentials:   true,
		ExposeHeaders: []string{"Set-Cookie"},
	})
	fmt.Println(err)
	// Output:
	// SES003: origin "*" with credentials: browsers refuse Access-Control-Allow-Origin: * on credentialed requests (Fetch §3.2.5), so no front end would get a response; fix: list the front-end origins, e.g. "https://app.example.com"
	// SES015: origin "https://app.example.com/" has a trailing slash: an origin has no path; fix: write "https://app.example.com"
	// SES020: cors.Config.ExposeHeaders has "Set-Cookie": browsers never let scripts read it (Fetch, forbidden response-header name), exposed or not; fix: remove it; the browser stores the cookie itself, and the front end can ask the API who is signed in
}

func ExampleCORS_Handler() {
	c, _ := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true})
	api := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, o := range []string{"https://app.example.com", "https://evil.example"} {
		r := httptest.NewRequest("GET", "https://api.example.com/me", nil)
		r.Header.Set("Origin", o)
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		fmt.Printf("%s: ACAO=%q Vary=%q\n", o, w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Vary"))
	}
	// Output:
	// https://app.example.com: ACAO="https://app.example.com" Vary="Origin"
	// https://evil.example: ACAO="" Vary="Origin"
}

func ExampleCORS_Check() {
	c, _ := cors.New(cors.Config{Origins: []string{"https://app.example.com"}, Credentials: true})
	r := httptest.NewRequest("OPTIONS", "https://api.example.com/things", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	fmt.Println(c.Check(r))
	// Output: SES011: preflight asks for method "PUT", which is not allowed; fix: add it to cors.Config.Methods
}

func ExampleCORS_Origins() {
	c, _ := cors.New(cors.Config{Origins: []string{"https://app.example.com", "https://*.example.org"}, Credentials: true})
	// The CSRF stage trusts the same list.
	fmt.Println(c.Origins().Strings())
	// Output: [https://app.example.com https://*.example.org]
}
