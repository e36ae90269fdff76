module github.com/sesame-go/sesame/cmd/sesame

go 1.26.0

require github.com/sesame-go/sesame v0.0.0

replace github.com/sesame-go/sesame => ../..

require (
	github.com/chromedp/cdproto v0.160.1
	github.com/chromedp/chromedp v0.23.1
	github.com/jackc/pgx/v5 v5.12.0
	github.com/redis/go-redis/v9 v9.23.0
	github.com/sesame-go/sesame/stores/boltstore v0.0.0
	github.com/sesame-go/sesame/stores/pgstore v0.0.0
	github.com/sesame-go/sesame/stores/redisstore v0.0.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/jackc/puddle/v2 v2.2.3 // indirect
	go.etcd.io/bbolt v1.5.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace (
	github.com/sesame-go/sesame/stores/boltstore => ../../stores/boltstore
	github.com/sesame-go/sesame/stores/pgstore => ../../stores/pgstore
	github.com/sesame-go/sesame/stores/redisstore => ../../stores/redisstore
)
