package mongostore

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/sesame-go/sesame/problem"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// DefaultCollection is the collection a Store uses when Config.Collection is
// empty and Config.Client is set.
const DefaultCollection = "sesame_sessions"

// DefaultDatabase is the database a Store uses when Config.Database is empty and
// Config.Client is set.
const DefaultDatabase = "sesame"

// DefaultCleanupInterval is how often expired documents are deleted when
// Config.CleanupInterval is zero.
const DefaultCleanupInterval = 5 * time.Minute

// Config describes a Store. Give either Collection or Client (with Database and
// CollectionName, or their defaults); the zero value of every other field is usable.
type Config struct {
	// Collection is the collection that holds the sessions. When it is set,
	// Client, Database and CollectionName must be empty.
	Collection *mongo.Collection

	// Client, with Database and CollectionName, names the collection when
	// Collection is nil. The store never disconnects the client: it belongs to the
	// caller.
	Client *mongo.Client

	// Database is the database of the collection when Client is set. Default
	// "sesame".
	Database string

	// CollectionName is the collection's name when Client is set. Default
	// "sesame_sessions".
	CollectionName string

	// CleanupInterval is how often a background goroutine deletes expired
	// documents. Default (zero) 5 minutes; negative: no goroutine, call Cleanup
	// yourself. Expired documents are never returned either way; the TTL index
	// (where the server has one) and the cleanup only reclaim their space.
	CleanupInterval time.Duration

	// Logger receives the errors of background cleanup rounds and the one notice
	// that the server has no TTL indexes. Default (nil): slog.Default().
	Logger *slog.Logger
}

// validate returns every problem of c at once, as *problem.Problem values.
func (c Config) validate() error {
	var errs []error
	switch {
	case c.Collection == nil && c.Client == nil:
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"mongostore: Config.Collection and Config.Client are both nil",
			"connect with mongo.Connect(options.Client().ApplyURI(url)) and pass client.Database(name).Collection(name) in Config.Collection, or the client in Config.Client"))
	case c.Collection != nil && (c.Client != nil || c.Database != "" || c.CollectionName != ""):
		errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
			"mongostore: Config.Collection is set together with Config.Client, Database or CollectionName",
			"set either Collection alone, or Client with Database and CollectionName"))
	}
	if c.Client != nil {
		if err := checkName("Database", c.Database, 63, `/\. "$`); err != nil {
			errs = append(errs, err)
		}
		if err := checkName("CollectionName", c.CollectionName, 120, "$"); err != nil {
			errs = append(errs, err)
		}
		if strings.HasPrefix(c.CollectionName, "system.") {
			errs = append(errs, problem.NewError(problem.InvalidStoreConfig,
				fmt.Sprintf("mongostore: Config.CollectionName %q starts with \"system.\", which MongoDB reserves", c.CollectionName),
				"choose another name, such as \"sesame_sessions\""))
		}
	}
	return errors.Join(errs...)
}

// checkName rejects names MongoDB refuses: too long, a NUL byte, or one of bad.
func checkName(field, name string, max int, bad string) error {
	switch {
	case len(name) > max:
		return problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("mongostore: Config.%s %q is %d bytes long, longer than %d", field, name, len(name), max),
			"choose a shorter name")
	case strings.ContainsRune(name, 0) || strings.ContainsAny(name, bad):
		return problem.NewError(problem.InvalidStoreConfig,
			fmt.Sprintf("mongostore: Config.%s %q contains a character MongoDB does not allow there (NUL or one of %q)", field, name, bad),
			"remove it")
	}
	return nil
}
