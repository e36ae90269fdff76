package otelsesame_test

import (
	"log"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/sesame-go/sesame"
	otelsesame "github.com/sesame-go/sesame/adapters/otel"
	"github.com/sesame-go/sesame/session/memstore"
)

func ExampleNew() {
	// Config{} uses the global providers (otel.SetMeterProvider, …); here a
	// meter provider of its own, with a reader an exporter would replace.
	// README begins
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	obs, err := otelsesame.New(otelsesame.Config{MeterProvider: mp})
	if err != nil {
		log.Fatal(err)
	}
	store, err := memstore.New(memstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	st, err := sesame.New(sesame.Config{
		APIOrigin: "https://api.example.com",
		Keys:      [][]byte{[]byte("example-key-0123456789abcdefghijklmnopq")},
		Store:     store,
		Observer:  obs,
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = st
	// README ends
	// Output:
}
