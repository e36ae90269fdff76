module github.com/sesame-go/sesame/stores/boltstore

go 1.26.0

require (
	github.com/sesame-go/sesame v0.0.0
	go.etcd.io/bbolt v1.5.0
)

require (
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace github.com/sesame-go/sesame => ../..
