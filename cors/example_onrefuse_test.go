package cors_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sesame-go/sesame/cors"
	"github.com/sesame-go/sesame/problem"
)

// OnRefuse counts refused preflights by rule, as a metrics exporter would.
func ExampleConfig_onRefuse() {
	c, err := cors.New(cors.Config{
		Origins: []string{"https://app.example.com"},
		OnRefuse: func(r *http.Request, rule problem.ID) {
			fmt.Println("refused", r.Header.Get("Origin"), rule)
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := httptest.NewRequest("OPTIONS", "https://api.example.com/things", nil)
	r.Header.Set("Origin", "https://evil.example")
	r.Header.Set("Access-Control-Request-Method", "PUT")
	w := httptest.NewRecorder()
	c.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
	fmt.Println(w.Code)
	// Output:
	// refused https://evil.example SES035
	// 403
}
