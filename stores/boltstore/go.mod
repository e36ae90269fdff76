module github.com/sesame-go/sesame/stores/boltstore

go 1.26.0

require github.com/sesame-go/sesame v0.0.0

replace github.com/sesame-go/sesame => ../..
