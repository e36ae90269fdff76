package redisstore_test

import (
	"log"

	"github.com/sesame-go/sesame/stores/redisstore"
)

// A client from a URL, as a deployment's configuration holds it
// (redis://, rediss:// for TLS, redis-cluster://host:port,host:port).
func ExampleClientFromURL() {
	client, err := redisstore.ClientFromURL("redis://:password@127.0.0.1:6379/0?pool_size=20")
	if err != nil {
		log.Fatal(err) // never repeats the password
	}
	defer client.Close()
	store, err := redisstore.New(redisstore.Config{Client: client})
	if err != nil {
		log.Fatal(err)
	}
	_ = store // sesame.Config{Store: store, …}
	// Output:
}
