package verdicts

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// collectTimeout bounds the store reads of one scrape.
const collectTimeout = 10 * time.Second

// Collector produces the verdict series at scrape time from the verdicts
// compute returns, so that zones and trials that come and go with the
// configuration leave no stale series. A failed computation is logged and
// yields no verdict series for that scrape.
type Collector struct {
	compute func(ctx context.Context) ([]judge.Verdict, error)
	log     *slog.Logger

	verdict, violations, observed, expected, bound, p, above, ratio, ratioBound, coverage *prometheus.Desc
}

// NewCollector returns a collector of the verdicts compute returns; log
// may be nil.
func NewCollector(compute func(ctx context.Context) ([]judge.Verdict, error), log *slog.Logger) *Collector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("ceasefire_"+name, help, append([]string{"trial", "zone_id"}, labels...), nil)
	}
	return &Collector{
		compute: compute, log: log,
		verdict: d("zone_verdict",
			"1 for the current verdict on a zone of a trial (violated, reported, thermal_excess, insufficient_coverage, held), 0 for the others.",
			"verdict"),
		violations: d("zone_standing_violations",
			"Standing violations of a trial in a zone by corroboration tier: corroborated, single (event data and field reports) and single_satellite.",
			"tier"),
		observed: d("zone_thermal_observed_detections",
			"Satellite detections in the zone over the complete trial days, as the background test counts them."),
		expected: d("zone_thermal_expected_detections",
			"Detections the seasonal background predicts for the zone over the same days."),
		bound: d("zone_thermal_expected_bound_detections",
			"Bounds of the background's prediction interval (central 1-2·alpha); above upper is above background.", "bound"),
		p: d("zone_thermal_p_value",
			"One-sided p-value of the zone's detections being more than background."),
		above: d("zone_thermal_above_background",
			"1 when the zone's detections are above their seasonal background, else 0."),
		ratio: d("zone_deescalation_ratio",
			"Rate during the trial over the rate in the pre-trial period: events (field reports and event data of prohibited categories), or thermal detections relative to the controls.",
			"measure"),
		ratioBound: d("zone_deescalation_ratio_bound",
			"Bounds of the exact 95% interval of zone_deescalation_ratio.", "measure", "bound"),
		coverage: d("zone_coverage_ratio",
			"Share of the complete trial days that some source observed (NaN before the first day completes)."),
	}
}

// Describe sends the descriptors of every series.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.verdict, c.violations, c.observed, c.expected, c.bound, c.p, c.above,
		c.ratio, c.ratioBound, c.coverage} {
		ch <- d
	}
}

// Collect computes the verdicts and sends their series.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), collectTimeout)
	defer cancel()
	vs, err := c.compute(ctx)
	if err != nil {
		c.log.Error("compute verdicts for metrics", "err", err)
		return
	}
	for i := range vs {
		c.collect(ch, &vs[i])
	}
}

func (c *Collector) collect(ch chan<- prometheus.Metric, v *judge.Verdict) {
	g := func(d *prometheus.Desc, val float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, val, append([]string{v.Trial, v.ZoneID}, labels...)...)
	}
	for _, s := range judge.States() {
		g(c.verdict, boolValue(v.Verdict == s), string(s))
	}
	g(c.violations, float64(v.Violations.Corroborated), "corroborated")
	g(c.violations, float64(v.Violations.Single), "single")
	g(c.violations, float64(v.Violations.SingleSatellite), "single_satellite")
	g(c.coverage, float64(v.Coverage.Fraction))
	if th := v.Thermal; th != nil {
		g(c.observed, float64(th.Observed))
		g(c.expected, float64(th.Expected))
		g(c.bound, float64(th.Lower), "lower")
		g(c.bound, float64(th.Upper), "upper")
		g(c.p, float64(th.P))
		g(c.above, boolValue(th.Class == judge.Above))
	}
	for _, r := range []struct {
		measure string
		ratio   *judge.Ratio
	}{{"events", v.Deescalation}, {"thermal", v.ThermalDeescalation}} {
		if r.ratio == nil {
			continue
		}
		g(c.ratio, float64(r.ratio.Ratio), r.measure)
		g(c.ratioBound, float64(r.ratio.Lower), r.measure, "lower")
		g(c.ratioBound, float64(r.ratio.Upper), r.measure, "upper")
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
