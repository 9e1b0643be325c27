package monitor

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const namespace = "ceasefire"

// sourceMetrics are the per-source ingest series. They belong to the Runner
// and are registered on the registry it is given.
type sourceMetrics struct {
	fetches     *prometheus.CounterVec
	failures    *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	duration    *prometheus.HistogramVec
	ingested    *prometheus.CounterVec
	rejected    *prometheus.CounterVec
	duplicate   *prometheus.CounterVec
	revised     *prometheus.CounterVec
	interval    *prometheus.GaugeVec
}

func newSourceMetrics(reg prometheus.Registerer) *sourceMetrics {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help},
			append([]string{"source"}, labels...))
	}
	gauge := func(name, help string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, []string{"source"})
	}
	m := &sourceMetrics{
		fetches:  counter("source_fetches_total", "Scheduled fetches of a source, successful or not."),
		failures: counter("source_fetch_failures_total", "Fetches of a source that failed (transport, whole-document decode or store error)."),
		lastSuccess: gauge("source_last_success_timestamp_seconds",
			"Unix time of the last fetch of a source that completed without error."),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "source_fetch_duration_seconds",
			Help:    "Time taken by one fetch of a source, from request to stored batch.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300},
		}, []string{"source"}),
		ingested: counter("incidents_ingested_total", "Incidents stored for the first time, by source."),
		rejected: counter("incidents_rejected_total", "Source records not turned into incidents, by source and reason.", "reason"),
		duplicate: counter("incidents_duplicate_total",
			"Incidents whose (source, id) was already stored with the same content, by source."),
		revised: counter("incidents_revised_total",
			"Stored incidents that came again with new content, or were deleted by their source, and were evaluated again."),
		interval: gauge("source_interval_seconds", "Time between two scheduled fetches of a source (for staleness alerts)."),
	}
	for _, v := range m.vectors() {
		reg.MustRegister(v)
	}
	return m
}

// sourceVec is what the counter, gauge and histogram vectors share.
type sourceVec interface {
	prometheus.Collector
	DeletePartialMatch(prometheus.Labels) int
}

// vectors lists every per-source vector, so that registering and
// forgetting a source cannot miss one.
func (m *sourceMetrics) vectors() []sourceVec {
	return []sourceVec{m.fetches, m.failures, m.lastSuccess, m.duration, m.ingested, m.rejected, m.duplicate, m.revised, m.interval}
}

// init creates the series of a source at zero so that rate() and absent()
// work from the first scrape. The last-success time starts at 0 (never), so
// that a source that has never succeeded is stale, not missing.
func (m *sourceMetrics) init(source string, interval time.Duration) {
	if interval > 0 {
		m.interval.WithLabelValues(source).Set(interval.Seconds())
		m.lastSuccess.WithLabelValues(source)
	}
	m.fetches.WithLabelValues(source)
	m.failures.WithLabelValues(source)
	m.ingested.WithLabelValues(source)
	m.duplicate.WithLabelValues(source)
	m.revised.WithLabelValues(source)
}

// forget removes the series of a source that a reload removed.
func (m *sourceMetrics) forget(source string) {
	for _, v := range m.vectors() {
		v.DeletePartialMatch(prometheus.Labels{"source": source})
	}
}

// trialCollector produces the trial and zone series at scrape time from the
// live evaluator and the tally, so that series follow reloads of zones and
// trials without stale leftovers.
type trialCollector struct {
	evaluator func() *Evaluator
	tally     *Tally
	now       func() time.Time

	violations, retracted, ambiguous, lastViolation, status, day, freeDays *prometheus.Desc
}

func newTrialCollector(ev func() *Evaluator, t *Tally, now func() time.Time) *trialCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(namespace+"_"+name, help, labels, nil)
	}
	return &trialCollector{
		evaluator: ev, tally: t, now: now,
		violations: d("violations_total",
			"Violations stored, by trial, zone and category (restored from the store at start).",
			"trial", "zone_id", "category"),
		retracted: d("violations_retracted_total",
			"Violations withdrawn because the source revised or deleted the incident (counted in violations_total too).",
			"trial", "zone_id", "category"),
		ambiguous: d("violations_ambiguous_total",
			"Incidents outside a zone whose location uncertainty reaches into it (or its buffer): recorded, not counted as violations.",
			"trial", "zone_id", "category"),
		lastViolation: d("zone_last_violation_timestamp_seconds",
			"Event time of the newest violation in a zone of a trial.", "trial", "zone_id"),
		status: d("trial_status", "1 for the current status of a trial, 0 for the others.", "trial", "status"),
		day:    d("trial_day", "Day N of the trial (1-based) while active; 0 when scheduled, the length when completed.", "trial"),
		// Named in seconds, the base unit, rather than days: Prometheus's
		// linter rejects a "days" unit. Dashboards show it as days.
		freeDays: d("trial_violation_free_seconds",
			"Length of the trial days (86400 s each) that have ended without a violation in the zone.", "trial", "zone_id"),
	}
}

func (c *trialCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.violations
	ch <- c.retracted
	ch <- c.ambiguous
	ch <- c.lastViolation
	ch <- c.status
	ch <- c.day
	ch <- c.freeDays
}

func (c *trialCollector) Collect(ch chan<- prometheus.Metric) {
	ev := c.evaluator()
	if ev == nil {
		return
	}
	now := c.now()
	for i := range ev.trials {
		t := &ev.trials[i].Trial
		st := t.Status(now)
		for _, s := range Statuses {
			ch <- prometheus.MustNewConstMetric(c.status, prometheus.GaugeValue, boolFloat(s == st), t.Name, string(s))
		}
		ch <- prometheus.MustNewConstMetric(c.day, prometheus.GaugeValue, float64(t.DayNumber(now)), t.Name)
		for _, z := range t.Zones {
			for _, cat := range t.Prohibited {
				n := c.tally.Count(t.Name, z, cat)
				ch <- prometheus.MustNewConstMetric(c.violations, prometheus.CounterValue, float64(n), t.Name, z, string(cat))
				r := c.tally.RetractedCount(t.Name, z, cat)
				ch <- prometheus.MustNewConstMetric(c.retracted, prometheus.CounterValue, float64(r), t.Name, z, string(cat))
				a := c.tally.AmbiguousCount(t.Name, z, cat)
				ch <- prometheus.MustNewConstMetric(c.ambiguous, prometheus.CounterValue, float64(a), t.Name, z, string(cat))
			}
			ch <- prometheus.MustNewConstMetric(c.freeDays, prometheus.GaugeValue, float64(c.tally.FreeDays(t, z, now))*Day.Seconds(), t.Name, z)
			if last := c.tally.LastViolation(t.Name, z); !last.IsZero() {
				ch <- prometheus.MustNewConstMetric(c.lastViolation, prometheus.GaugeValue, float64(last.UnixNano())/1e9, t.Name, z)
			}
		}
	}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
