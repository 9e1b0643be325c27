package alerts

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// senderMetrics are the Sender's series, all labelled by alertmanager, the
// Alertmanager's base URL without user info. The vectors are safe for
// concurrent use.
type senderMetrics struct {
	sent        *prometheus.CounterVec
	failures    *prometheus.CounterVec
	dropped     *prometheus.CounterVec
	queueLength *prometheus.GaugeVec
}

// newSenderMetrics creates the Sender's metric vectors and registers them
// on reg; a nil reg registers nothing. A vector already registered on reg
// (by an earlier Sender, say, before a reload) is reused, so building a
// second Sender on the same registry works.
func newSenderMetrics(reg prometheus.Registerer) (*senderMetrics, error) {
	labels := []string{"alertmanager"}
	m := &senderMetrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ceasefire_alerts_sent_total",
			Help: "Alerts accepted by an Alertmanager (2xx response).",
		}, labels),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ceasefire_alerts_send_failures_total",
			Help: "Alerts in requests to an Alertmanager that failed: network error, timeout or non-2xx response.",
		}, labels),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ceasefire_alerts_dropped_total",
			Help: "Alerts dropped, oldest first, because the queue to an Alertmanager was full.",
		}, labels),
		queueLength: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ceasefire_alerts_queue_length",
			Help: "Alerts waiting in the queue to an Alertmanager.",
		}, labels),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.sent, err = register(reg, m.sent); err != nil {
		return nil, err
	}
	if m.failures, err = register(reg, m.failures); err != nil {
		return nil, err
	}
	if m.dropped, err = register(reg, m.dropped); err != nil {
		return nil, err
	}
	if m.queueLength, err = register(reg, m.queueLength); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c on reg and returns it, or returns the equal
// collector that is already registered.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	if err == nil {
		return c, nil
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, fmt.Errorf("register alert metrics: %w", err)
}

// seed creates the series of one Alertmanager at zero, so that rates and
// alert rules see them before the first event.
func (m *senderMetrics) seed(am string) {
	m.sent.WithLabelValues(am)
	m.failures.WithLabelValues(am)
	m.dropped.WithLabelValues(am)
	m.queueLength.WithLabelValues(am).Set(0)
}

// forget deletes the series of an Alertmanager removed from the
// configuration.
func (m *senderMetrics) forget(am string) {
	m.sent.DeleteLabelValues(am)
	m.failures.DeleteLabelValues(am)
	m.dropped.DeleteLabelValues(am)
	m.queueLength.DeleteLabelValues(am)
}
