package daemon

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
)

// load reads the config file and builds its setup, logging the config's
// warnings, at start and at every reload alike.
func (d *Daemon) load() (*setup, error) {
	cfg, warnings, err := configs.LoadWithWarnings(d.o.ConfigFile)
	for _, w := range warnings {
		d.log.Warn("config", "file", d.o.ConfigFile, "warning", w)
	}
	if err != nil {
		return nil, fmt.Errorf("load config:\n%w", err)
	}
	return buildSetup(cfg)
}

// Reload re-reads the config file and its zones; everything that can fail
// is built before anything running is replaced. On failure the old setup
// stays and ceasefire_config_last_reload_successful turns 0. Safe for
// concurrent use while the daemon runs; reloads run one at a time.
func (d *Daemon) Reload() error {
	d.reloadMu.Lock()
	defer d.reloadMu.Unlock()
	d.notify.Reloading()
	defer d.notify.Ready()
	st, err := d.load()
	if err == nil {
		st, err = d.editedSetup(context.Background(), st)
	}
	if err == nil {
		err = d.apply(st)
	}
	if err != nil {
		d.reloadOK.Set(0)
		return err
	}
	select {
	case d.reconfigured <- struct{}{}:
	default: // the loop has yet to see the previous reload
	}
	d.log.Info("configuration reloaded", "config", d.o.ConfigFile)
	return nil
}

// apply makes st the running setup: alerting options, evaluator, sources
// and schedules. The alerting section is taken first and on its error
// nothing changes; the later steps fail only on a bug, since buildSetup
// parsed every schedule.
func (d *Daemon) apply(st *setup) error {
	if err := d.alerting.apply(st.cfg.Alerting, d.external); err != nil {
		return fmt.Errorf("apply alerting: %w", err)
	}
	prev := d.current.Load() // nil at start
	d.runner.SetEvaluator(st.evaluator)
	d.setJudging(st)
	all := append([]*monitor.Source(nil), st.sources...)
	for _, p := range st.push {
		all = append(all, &monitor.Source{Name: p.name})
	}
	d.runner.SetSources(all)
	d.current.Store(st) // before scheduling: the push handler reads it
	if err := d.scheduler.Apply(st.sources, true); err != nil {
		return fmt.Errorf("apply schedules: %w", err)
	}
	d.reloadOK.Set(1)
	d.reloadSuccess.SetToCurrentTime()
	d.logVersions(context.Background(), prev, st)
	return nil
}

func (d *Daemon) registerMetrics(readOnly bool) {
	d.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ceasefire_config_last_reload_successful",
		Help: "Whether the last configuration reload attempt was successful.",
	})
	d.reloadSuccess = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ceasefire_config_last_reload_success_timestamp_seconds",
		Help: "Unix time of the last successful configuration load.",
	})
	d.readOnly = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ceasefire_storage_read_only",
		Help: "1 when the store was opened read-only (disk full at start): nothing is ingested, state is served as stored.",
	})
	if readOnly {
		d.readOnly.Set(1)
	}
	d.reg.MustRegister(
		versioncollector.NewCollector("ceasefire"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		d.reloadOK, d.reloadSuccess, d.readOnly,
	)
}
