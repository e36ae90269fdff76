module github.com/sesame-go/sesame/bench

go 1.26.0

require github.com/sesame-go/sesame v0.0.0

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/gorilla/securecookie v1.1.2 // indirect
	go.etcd.io/bbolt v1.5.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/sesame-go/sesame => ..

require (
	github.com/alexedwards/scs/goredisstore v0.0.0-20250212122300-421ef1d8611c
	github.com/alexedwards/scs/v2 v2.9.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/gorilla/sessions v1.4.0
	github.com/jub0bs/cors v0.13.0
	github.com/rbcervilla/redisstore/v9 v9.0.0
	github.com/redis/go-redis/v9 v9.23.0
	github.com/rs/cors v1.11.1
	github.com/sesame-go/sesame/stores/boltstore v0.0.0
	github.com/sesame-go/sesame/stores/redisstore v0.0.0
)

replace (
	github.com/sesame-go/sesame/stores/boltstore => ../stores/boltstore
	github.com/sesame-go/sesame/stores/redisstore => ../stores/redisstore
)
