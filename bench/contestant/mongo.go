package contestant

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/sesame-go/sesame/bench/internal/ferretdb"
	"github.com/sesame-go/sesame/stores/mongostore"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// mongoStore builds sesame-mongo's store: on o.MongoURL, else on an embedded
// FerretDB that Close stops. Its collection is named after o.Prefix and dropped
// by Close.
func (s *Server) mongoStore(o Options) (*mongostore.Store, error) {
	url := o.MongoURL
	if url == "" {
		url = os.Getenv("SESAME_MONGODB_URL")
	}
	if url == "" {
		dir, err := os.MkdirTemp("", "bench-ferretdb-")
		if err != nil {
			return nil, err
		}
		u, stop, err := ferretdb.Start(dir)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.closers = append(s.closers, func() error {
			err := stop()
			os.RemoveAll(dir)
			return err
		})
		url = u
	}
	client, err := mongo.Connect(options.Client().ApplyURI(url).SetServerSelectionTimeout(2 * time.Second))
	if err != nil {
		return nil, err
	}
	coll := client.Database("sesame_bench").Collection(collectionName(o.Prefix))
	s.closers = append(s.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		coll.Drop(ctx)
		return client.Disconnect(ctx)
	})
	st, err := mongostore.New(mongostore.Config{Collection: coll, Logger: quiet})
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, st.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := st.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("MongoDB at %s (set SESAME_MONGODB_URL, or leave it empty for an embedded FerretDB): %w", url, err)
	}
	s.bulk["sesame-mongo"] = &mongoBulk{coll: coll, st: st}
	return st, nil
}

// collectionName turns a key prefix ("bench:", "benchtest:ab12:") into a
// collection name.
func collectionName(prefix string) string {
	b := []byte("sessions_" + prefix)
	for i, c := range b {
		if c == ':' || c == '.' || c == '$' {
			b[i] = '_'
		}
	}
	return string(b)
}
