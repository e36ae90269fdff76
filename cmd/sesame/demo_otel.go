package main

import (
	"context"
	"errors"
	"io"
	"time"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	otelsesame "github.com/sesame-go/sesame/adapters/otel"
)

// otelInterval is how often --otel-stdout prints the metrics.
const otelInterval = 30 * time.Second

// newDemoObserver is --otel-stdout: the sessions' metrics and store-call spans,
// written to w as JSON by OpenTelemetry's stdout exporters (metrics every
// otelInterval and at shutdown, spans in batches). shutdown flushes both.
func newDemoObserver(w io.Writer) (obs *otelsesame.Observer, shutdown func() error, err error) {
	me, err := stdoutmetric.New(stdoutmetric.WithWriter(w))
	if err != nil {
		return nil, nil, err
	}
	te, err := stdouttrace.New(stdouttrace.WithWriter(w))
	if err != nil {
		return nil, nil, err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(me, sdkmetric.WithInterval(otelInterval))))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(te))
	shutdown = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx))
	}
	obs, err = otelsesame.New(otelsesame.Config{MeterProvider: mp, TracerProvider: tp})
	if err != nil {
		shutdown()
		return nil, nil, err
	}
	return obs, shutdown, nil
}
