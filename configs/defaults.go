package configs

import (
	"time"

	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Defaults for keys left out of the config file. A key that is present,
// even with a zero value, is kept and validated as written.
const (
	// DefaultTrialDays is the length of a trial in days.
	DefaultTrialDays = 30
	// DefaultSourceTimeout bounds one HTTP fetch of a source.
	DefaultSourceTimeout = 30 * time.Second
	// DefaultMaxBytes limits the body of one HTTP fetch (256 MiB).
	DefaultMaxBytes = 256 << 20
	// DefaultResendDelay is how often a firing alert is re-sent.
	DefaultResendDelay = time.Minute
	// DefaultHold is how long an alert keeps firing after its last
	// violation.
	DefaultHold = 6 * time.Hour
	// DefaultCheckpointInterval is how often a checkpoint of the evidence
	// log is signed while leaves arrive.
	DefaultCheckpointInterval = time.Minute
	// DefaultEvidenceOrigin names the evidence log and its generated key.
	DefaultEvidenceOrigin = "ceasefired"
	// DefaultPushMaxBodyBytes limits one push request body (10 MiB).
	DefaultPushMaxBodyBytes = 10 << 20
	// DefaultPushMaxItems limits the items of one push request.
	DefaultPushMaxItems = 10000
	// DefaultPushRateLimit is the requests per second one push token may
	// make; DefaultPushBurst the requests it may make at once.
	DefaultPushRateLimit = 20
	DefaultPushBurst     = 40
	// DefaultMaxUncertaintyMeters caps the uncertainty_m of the items of
	// point feeds (geojson, jsonl, push).
	DefaultMaxUncertaintyMeters = 50000
	// DefaultPreDays is the length in days of the pre-trial period.
	DefaultPreDays = 30
	// DefaultBackgroundAlpha is the level of the background tests.
	DefaultBackgroundAlpha = 0.05
	// DefaultBackgroundCategory is the category a background counts.
	DefaultBackgroundCategory = monitor.ThermalAnomaly
)

// DefaultFIRMSDropTypes returns the FIRMS `type` values rejected when a
// firms source does not say: 2, static land sources such as gas flares.
func DefaultFIRMSDropTypes() []int { return []int{2} }

// DefaultSeverity returns the alert severity of each category when the
// config does not set it, from monitor.Category.DefaultSeverity: direct
// fire is critical, other detections warn.
func DefaultSeverity() map[string]string {
	m := make(map[string]string, len(monitor.Categories))
	for _, c := range monitor.Categories {
		m[string(c)] = c.DefaultSeverity()
	}
	return m
}

// applyDefaults fills every key that root, the parsed document, leaves
// out. It is the one place defaults are seeded: those of a format's own
// keys come from its registry entry, called from here.
func applyDefaults(c *Config, root *yaml.Node) {
	for i := range c.Trials {
		t, p := &c.Trials[i], keyPath{"trials", i}
		if !p.key("days").present(root) {
			t.Days = DefaultTrialDays
		}
		if !p.key("pre_days").present(root) {
			t.PreDays = DefaultPreDays
		}
		if b, bp := t.Background, p.key("background"); b != nil {
			if !bp.key("category").present(root) {
				b.Category = string(DefaultBackgroundCategory)
			}
			if !bp.key("controls").present(root) {
				b.Controls = []string{"*"}
			}
			if !bp.key("alpha").present(root) {
				b.Alpha = DefaultBackgroundAlpha
			}
		}
	}
	applyJudgingDefaults(c, root)
	for i := range c.Sources {
		s, p := &c.Sources[i], keyPath{"sources", i}
		if !p.key("timeout").present(root) {
			s.Timeout = model.Duration(DefaultSourceTimeout)
		}
		if !p.key("max_bytes").present(root) {
			s.MaxBytes = DefaultMaxBytes
		}
		if f, ok := lookupFormat(s.Format); ok {
			f.defaults(s, p, root)
			if !p.key("kind").present(root) {
				s.Kind = f.kind(s)
			}
		}
	}
	if !(keyPath{"limits", "max_future_skew"}).present(root) {
		c.Limits.MaxFutureSkew = model.Duration(monitor.DefaultMaxFutureSkew)
	}
	a := &c.Alerting
	if !(keyPath{"alerting", "resend_delay"}).present(root) {
		a.ResendDelay = model.Duration(DefaultResendDelay)
	}
	if !(keyPath{"alerting", "hold"}).present(root) {
		a.Hold = model.Duration(DefaultHold)
	}
	if !(keyPath{"evidence", "checkpoint_interval"}).present(root) {
		c.Evidence.CheckpointInterval = model.Duration(DefaultCheckpointInterval)
	}
	if !(keyPath{"evidence", "origin"}).present(root) {
		c.Evidence.Origin = DefaultEvidenceOrigin
	}
	severity := DefaultSeverity()
	for k, v := range a.Severity {
		severity[k] = v
	}
	a.Severity = severity
}

// applyJudgingDefaults fills the corroboration and coverage keys that root
// leaves out, with the defaults of package judge.
func applyJudgingDefaults(c *Config, root *yaml.Node) {
	if !(keyPath{"corroboration", "distance_m"}).present(root) {
		c.Corroboration.DistanceM = judge.DefaultCorroborationDistanceM
	}
	if !(keyPath{"corroboration", "window"}).present(root) {
		c.Corroboration.Window = model.Duration(judge.DefaultCorroborationWindow)
	}
	if !(keyPath{"coverage", "min_days_fraction"}).present(root) {
		c.Coverage.MinDaysFraction = judge.DefaultMinDaysFraction
	}
	if !(keyPath{"coverage", "push_max_gap"}).present(root) {
		c.Coverage.PushMaxGap = model.Duration(judge.DefaultPushMaxGap)
	}
}
