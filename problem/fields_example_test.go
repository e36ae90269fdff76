package problem_test

import (
	"fmt"

	"github.com/sesame-go/sesame/problem"
)

// A composing layer maps the stage's field names to its own, so that a message
// names the setting the user wrote.
func ExampleFields_Name() {
	fields := problem.Fields{"cors.Config.MaxAge": "sesame.Config.CORSMaxAge"}
	fmt.Println(fields.Name("cors.Config.MaxAge"))
	fmt.Println(fields.Name("cors.Config.Methods")) // not in the table: unchanged
	var none problem.Fields
	fmt.Println(none.Name("cors.Config.MaxAge"))
	// Output:
	// sesame.Config.CORSMaxAge
	// cors.Config.Methods
	// cors.Config.MaxAge
}
