module github.com/sesame-go/sesame/cmd/sesame

go 1.26.0

require github.com/sesame-go/sesame v0.0.0

replace github.com/sesame-go/sesame => ../..
