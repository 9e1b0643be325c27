package daemon

import (
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
	"github.com/prometheus/common/version"
)

// setup is everything built from one config file: it is built whole before
// it replaces the running one.
type setup struct {
	cfg       *configs.Config
	evaluator *monitor.Evaluator
	sources   []*monitor.Source // fetched on a schedule
	push      []*pushSource     // fed over HTTP
	judging   monitor.Judging   // kinds and corroboration, for the runner
	spec      *verdicts.Spec    // what verdicts rest on
}

// buildSetup maps a validated config onto the domain: the zone versions,
// the trials and one runnable source per configured source, which the format
// registry of configs builds (Source.Build).
func buildSetup(cfg *configs.Config) (*setup, error) {
	trials := make([]monitor.Trial, 0, len(cfg.Trials))
	for _, t := range cfg.Trials {
		mt := monitor.Trial{
			Name: t.Name, Zones: cfg.ZoneIDs(t), Start: t.Start.UTC(), Days: t.Days,
			BufferMeters: t.BufferMeters,
		}
		for _, p := range t.Prohibited {
			c, err := monitor.ParseCategory(p)
			if err != nil {
				return nil, fmt.Errorf("trial %q: %w", t.Name, err)
			}
			mt.Prohibited = append(mt.Prohibited, c)
		}
		trials = append(trials, mt)
	}
	ev, err := monitor.NewVersionedEvaluator(zoneVersions(cfg), trials)
	if err != nil {
		return nil, fmt.Errorf("build zone index: %w", err)
	}
	ev = ev.WithLimits(monitor.Limits{MaxFutureSkew: time.Duration(cfg.Limits.MaxFutureSkew)})
	ev = ev.WithVersions(cfg.SHA256, nil)
	s := &setup{cfg: cfg, evaluator: ev}
	s.judging, s.spec = judgingOf(cfg, ev, time.Now())
	for i := range cfg.Sources {
		c := &cfg.Sources[i]
		if c.Pushed() {
			p, err := buildPush(c)
			if err != nil {
				return nil, fmt.Errorf("source %q: %w", c.Name, err)
			}
			s.push = append(s.push, p)
			continue
		}
		b, err := c.Build(configs.BuildOptions{UserAgent: userAgent()})
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", c.Name, err)
		}
		s.sources = append(s.sources, &monitor.Source{Name: c.Name, Schedule: c.Schedule, Decoder: b.Decoder, Fetcher: b.Fetcher})
	}
	return s, nil
}

// pointOptions returns the quality filters applied to each item pushed to
// the push source c.
func pointOptions(c *configs.Source) (ingest.PointOptions, error) { return c.PointOptions() }

func userAgent() string { return "ceasefired/" + version.Version }

// zoneVersions returns every version of every zone of cfg, identified by
// the digest of its zone file.
func zoneVersions(cfg *configs.Config) []monitor.ZoneVersion {
	out := make([]monitor.ZoneVersion, len(cfg.Versions))
	for i, v := range cfg.Versions {
		out[i] = monitor.ZoneVersion{Zone: v.Zone, From: v.From, Digest: v.SHA256}
	}
	return out
}
