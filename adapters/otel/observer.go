package otelsesame

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/sesame-go/sesame"
	"github.com/sesame-go/sesame/problem"
	"github.com/sesame-go/sesame/session"
)

// ScopeName is the instrumentation scope of the meter and the tracer.
const ScopeName = "github.com/sesame-go/sesame/adapters/otel"

// Attribute keys of their own, where no semantic convention exists.
const (
	EventKey       = attribute.Key("sesame.session.event")
	LoadOutcomeKey = attribute.Key("sesame.session.load.outcome")
	StoreNameKey   = attribute.Key("sesame.store.name")
	RuleKey        = attribute.Key("sesame.rule")
	StageKey       = attribute.Key("sesame.stage")
)

// Config chooses where the Observer reports.
type Config struct {
	// MeterProvider makes the meter. Default (nil): otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// TracerProvider makes the tracer. Default (nil): otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
}

// An Observer is a session.Observer on OpenTelemetry. It is safe for concurrent
// use.
type Observer struct {
	tracer      trace.Tracer
	duration    metric.Float64Histogram
	events      metric.Int64Counter
	loads       metric.Int64Counter
	unavailable metric.Int64Counter
	refused     metric.Int64Counter

	// Attribute sets precomputed per value: recording with them does not
	// allocate a set per call.
	eventSets [4]metric.MeasurementOption
	loadSets  [8]metric.MeasurementOption
}

var (
	_ session.Observer       = (*Observer)(nil)
	_ sesame.RefusalObserver = (*Observer)(nil)
)

// New creates the instruments. An error comes from the MeterProvider.
func New(cfg Config) (*Observer, error) {
	mp, tp := cfg.MeterProvider, cfg.TracerProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	m := mp.Meter(ScopeName)
	o := &Observer{tracer: tp.Tracer(ScopeName)}
	var err, e error
	o.duration, e = m.Float64Histogram("db.client.operation.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of session store calls."),
		metric.WithExplicitBucketBoundaries(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10))
	err = errors.Join(err, e)
	o.events, e = m.Int64Counter("sesame.session.events", metric.WithUnit("{session}"),
		metric.WithDescription("Sessions created, regenerated and destroyed."))
	err = errors.Join(err, e)
	o.loads, e = m.Int64Counter("sesame.session.loads", metric.WithUnit("{request}"),
		metric.WithDescription("Requests that used their session, by outcome of the load."))
	err = errors.Join(err, e)
	o.unavailable, e = m.Int64Counter("sesame.responses.unavailable", metric.WithUnit("{response}"),
		metric.WithDescription("Responses replaced by the session's ErrorFunc (503) because the store failed."))
	err = errors.Join(err, e)
	o.refused, e = m.Int64Counter("sesame.requests.refused", metric.WithUnit("{request}"),
		metric.WithDescription("Requests a stage refused, by stage and rule."))
	err = errors.Join(err, e)
	if err != nil {
		return nil, err
	}
	for _, ev := range []session.Event{session.Created, session.Regenerated, session.Destroyed} {
		o.eventSets[ev] = metric.WithAttributeSet(attribute.NewSet(EventKey.String(ev.String())))
	}
	for r := range session.StoreFailed + 1 {
		o.loadSets[r] = metric.WithAttributeSet(attribute.NewSet(LoadOutcomeKey.String(r.String())))
	}
	return o, nil
}

// Event counts a session created, regenerated or destroyed.
func (o *Observer) Event(ctx context.Context, e session.Event) {
	if int(e) < len(o.eventSets) && o.eventSets[e] != nil {
		o.events.Add(ctx, 1, o.eventSets[e])
	}
}

// Loaded counts a load by its outcome.
func (o *Observer) Loaded(ctx context.Context, why session.Reason) {
	if int(why) < len(o.loadSets) && o.loadSets[why] != nil {
		o.loads.Add(ctx, 1, o.loadSets[why])
	}
}

// StoreCall starts a span and a timer for one store call.
func (o *Observer) StoreCall(ctx context.Context, store, op string) (context.Context, func(error)) {
	sys := systemName(store)
	ctx, span := o.tracer.Start(ctx, "sesame.store "+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(sys, semconv.DBOperationName(op), StoreNameKey.String(store)))
	start := time.Now()
	return ctx, func(err error) {
		attrs := []attribute.KeyValue{sys, semconv.DBOperationName(op)}
		if err != nil {
			et := errorType(err)
			attrs = append(attrs, et)
			span.SetAttributes(et, RuleKey.String(string(problem.StoreUnavailable)))
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		o.duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(attrs...))
		span.End()
	}
}

// Unavailable counts a response replaced because of err.
func (o *Observer) Unavailable(ctx context.Context, err error) {
	o.unavailable.Add(ctx, 1, metric.WithAttributes(errorType(err)))
}

// Refused counts a request a stage refused (sesame.RefusalObserver).
func (o *Observer) Refused(ctx context.Context, stage string, rule problem.ID) {
	o.refused.Add(ctx, 1, metric.WithAttributes(StageKey.String(stage), RuleKey.String(string(rule))))
}

// systemName is db.system.name: the semantic-convention name where one
// exists, else the store's own name.
func systemName(store string) attribute.KeyValue {
	switch store {
	case "redis":
		return semconv.DBSystemNameRedis
	case "postgres", "postgresql":
		return semconv.DBSystemNamePostgreSQL
	case "mongodb", "mongo":
		return semconv.DBSystemNameMongoDB
	}
	return semconv.DBSystemNameKey.String(store)
}

// errorType is error.type: "timeout" for a call past StoreTimeout, else the
// low-cardinality "store_error" (the message is in the span, not the metric).
func errorType(err error) attribute.KeyValue {
	if errors.Is(err, session.ErrStoreTimeout) || errors.Is(err, context.DeadlineExceeded) {
		return semconv.ErrorTypeKey.String("timeout")
	}
	return semconv.ErrorTypeKey.String("store_error")
}
