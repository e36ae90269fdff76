package main_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	main "github.com/sesame-go/sesame/cmd/sesame"
	"github.com/sesame-go/sesame/problem"
)

// `sesame demo` with no flags: the API and the front end on two localhost origins,
// the front end allowed to call the API with credentials, sessions in bbolt.
func Example_demo() {
	c, _ := main.ParseDemoFlags(nil)
	fmt.Println("API:      ", c.PublicOrigin)
	fmt.Println("front end:", c.FrontendOrigins)
	fmt.Println("store:    ", c.Store)
	// Output:
	// API:       http://localhost:8080
	// front end: [http://localhost:5173]
	// store:     bolt:.sesame/sessions.db
}

// The wrong way: "*" as the front-end origin, as `cors()` does in the seeds. A
// credentialed request can never use it, and the demo refuses to start, naming the
// rule.
func Example_demoWildcardOrigin() {
	dir, _ := os.MkdirTemp("", "sesame-example")
	defer os.RemoveAll(dir)
	_, _, _, _, err := main.DemoHandlers(context.Background(),
		[]string{"--frontend-origin=*", "--store=memory", "--data-dir=" + dir}, nil)
	var p *problem.Problem
	if errors.As(err, &p) {
		fmt.Println(p.Rule)
	}
	// Output:
	// SES003
}
