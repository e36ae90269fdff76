package session

import (
	"reflect"

	"github.com/sesame-go/sesame/problem"
)

// checkStore returns a *problem.Problem (rule SES041) when s cannot be used as a
// Store: nil, or a nil pointer, map, slice, channel or function in the Store
// interface, such as the *redisstore.Store of a redisstore.New whose error was
// not checked. Such a store passes a plain nil check and panics on the first
// request that uses a session; New refuses it instead. field names the setting
// in the message, as the user wrote it ("session.Config.Store").
func checkStore(s Store, field string) error {
	if s == nil {
		return problem.NewError(problem.InvalidStoreConfig, field+" is required",
			"set it to a store: session/memstore for one instance, stores/redisstore, stores/pgstore or stores/boltstore otherwise")
	}
	switch v := reflect.ValueOf(s); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.Interface:
		if v.IsNil() {
			return problem.NewError(problem.InvalidStoreConfig,
				field+" is a nil "+v.Type().String()+": the store's constructor probably failed and its error was not checked",
				"check the error its New returned before building sesame, and pass the store it returns")
		}
	}
	return nil
}
