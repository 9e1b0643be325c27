package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// shutdownBudget bounds the whole shutdown: running fetches, HTTP and the
// store. It is shorter than the systemd unit's TimeoutStopSec.
const shutdownBudget = 25 * time.Second

// Options configure the daemon.
type Options struct {
	ConfigFile  string
	StoragePath string
	Web         *web.FlagConfig
	ExternalURL string
	Logger      *slog.Logger
	// OnReady, when set, is called once the daemon serves and its state is
	// loaded, with the bound addresses (the demo prints its URLs there).
	OnReady func(addrs []net.Addr)
}

// Daemon is the running service: the pieces built once at start, and the
// current setup that reloads replace.
type Daemon struct {
	o         Options
	log       *slog.Logger
	store     *store.DB
	runner    *monitor.Runner
	scheduler *monitor.Scheduler
	reg       *prometheus.Registry
	alerting  *alerting
	external  string // base URL for links in alerts
	srv       *http.Server
	serveErr  chan error

	stopSender context.CancelFunc
	senderDone chan struct{}
	ready      atomic.Bool
	notify     notifier
	current    atomic.Pointer[setup]

	reloadMu      sync.Mutex
	reloadOK      prometheus.Gauge
	reloadSuccess prometheus.Gauge
}

// Serve starts the daemon, reloads on every receive from hup, blocks until
// ctx is done, then shuts down within shutdownBudget.
func Serve(ctx context.Context, o Options, hup <-chan struct{}) error {
	d, err := start(ctx, o)
	if err != nil {
		return err
	}
	runErr := d.loop(ctx, hup)
	return errors.Join(runErr, d.shutdown())
}

// start builds every component from the config, restores state, binds the
// listeners and starts scheduling, serving and alert delivery. On error
// everything already opened is closed again.
func start(ctx context.Context, o Options) (d *Daemon, err error) {
	log := o.Logger
	cfg, warnings, err := configs.LoadWithWarnings(o.ConfigFile)
	if err != nil {
		return nil, fmt.Errorf("load config:\n%w", err)
	}
	for _, w := range warnings {
		log.Warn("config", "warning", w)
	}
	st, err := buildSetup(cfg)
	if err != nil {
		return nil, err
	}
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()
	listeners, err := listen(*o.Web.WebListenAddresses)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { closeAll(listeners) })
	db, err := store.Open(o.StoragePath, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { db.Close() })
	d = &Daemon{o: o, log: log, store: db, reg: prometheus.NewRegistry(), notify: notifier{log},
		external: externalURL(o.ExternalURL, listenerAddrs(listeners)), senderDone: make(chan struct{})}
	d.registerMetrics()
	if d.alerting, err = newAlerting(ctx, cfg, d.external, db, d.reg, log); err != nil {
		return nil, err
	}
	d.runner = monitor.NewRunner(monitor.RunnerOptions{Store: db, Logger: log, Registerer: d.reg,
		OnViolations: d.alerting.observe, OnRetractions: d.alerting.retract})
	if err := d.runner.Restore(ctx); err != nil {
		return nil, err
	}

	senderCtx, stopSender := context.WithCancel(context.Background())
	d.stopSender = stopSender
	go func() { d.alerting.sender.Run(senderCtx); close(d.senderDone) }()
	d.scheduler = monitor.NewScheduler(d.runner, log)
	d.apply(st)
	d.serveHTTP(listeners)
	d.ready.Store(true)
	d.notify.Ready()
	if o.OnReady != nil {
		o.OnReady(listenerAddrs(listeners))
	}
	log.Info("ceasefired started", "config", o.ConfigFile, "storage", db.Path(),
		"zones", len(cfg.Loaded), "trials", len(cfg.Trials), "sources", len(cfg.Sources),
		"alertmanagers", len(cfg.Alerting.Alertmanagers))
	return d, nil
}

// serveHTTP serves the routes on every listener, with exporter-toolkit's
// TLS and basic auth when --web.config.file is set.
func (d *Daemon) serveHTTP(listeners []net.Listener) {
	d.srv = &http.Server{Handler: d.routes(), ReadHeaderTimeout: 10 * time.Second}
	d.serveErr = make(chan error, len(listeners))
	for _, l := range listeners {
		go func() { d.serveErr <- web.Serve(l, d.srv, d.o.Web, d.log) }()
	}
}

// loop is the main loop: it feeds the systemd watchdog, re-sends alerts,
// reloads on SIGHUP, and returns when ctx is done or serving fails.
func (d *Daemon) loop(ctx context.Context, hup <-chan struct{}) error {
	var watchdog <-chan time.Time
	if every := d.notify.WatchdogInterval(); every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		watchdog = t.C
		d.notify.Watchdog()
	}
	resendEvery := d.resendDelay()
	resend := time.NewTicker(resendEvery)
	defer resend.Stop()
	d.alerting.tick() // re-announce restored alerts at once: Alertmanager may have restarted too
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-watchdog:
			d.notify.Watchdog()
		case <-resend.C:
			d.alerting.tick()
			// A reload over HTTP may have changed the delay.
			if every := d.resendDelay(); every != resendEvery {
				resendEvery = every
				resend.Reset(every)
			}
		case <-d.alerting.due:
			d.alerting.tick()
		case <-hup:
			if err := d.reload(); err != nil {
				d.log.Error("reload", "err", err)
			}
			resendEvery = d.resendDelay()
			resend.Reset(resendEvery)
		case err := <-d.serveErr:
			if !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("serve HTTP: %w", err)
			}
		}
	}
}

func (d *Daemon) resendDelay() time.Duration {
	return time.Duration(d.current.Load().cfg.Alerting.ResendDelay)
}

func listenerAddrs(ls []net.Listener) []net.Addr {
	addrs := make([]net.Addr, len(ls))
	for i, l := range ls {
		addrs[i] = l.Addr()
	}
	return addrs
}

// shutdown stops scheduling and waits for running fetches, stops HTTP and
// closes the store, all within shutdownBudget.
func (d *Daemon) shutdown() error {
	d.log.Info("shutting down")
	d.notify.Stopping()
	d.ready.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
	defer cancel()
	var errs []error
	if err := d.scheduler.Stop(ctx); err != nil {
		errs = append(errs, err)
	}
	// Fetches are over: persist the alert lifecycle, then give queued
	// alerts what is left of the budget to reach Alertmanager.
	d.alerting.persist()
	d.stopSender()
	<-d.senderDone
	if err := d.alerting.sender.Drain(ctx); err != nil {
		errs = append(errs, fmt.Errorf("drain alert queues: %w", err))
	}
	if err := d.srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stop HTTP: %w", err))
	}
	if err := d.store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close store: %w", err))
	}
	return errors.Join(errs...)
}

func listen(addrs []string) ([]net.Listener, error) {
	var ls []net.Listener
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			closeAll(ls)
			return nil, fmt.Errorf("listen on %s: %w", a, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}

func closeAll(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}

func (d *Daemon) registerMetrics() {
	d.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ceasefire_config_last_reload_successful",
		Help: "Whether the last configuration reload attempt was successful.",
	})
	d.reloadSuccess = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "ceasefire_config_last_reload_success_timestamp_seconds",
		Help: "Unix time of the last successful configuration load.",
	})
	d.reg.MustRegister(
		versioncollector.NewCollector("ceasefire"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		d.reloadOK, d.reloadSuccess,
	)
}

// apply makes st the running setup: evaluator, sources and schedules.
func (d *Daemon) apply(st *setup) error {
	if err := d.alerting.apply(st.cfg, d.external); err != nil {
		return err
	}
	d.runner.SetEvaluator(st.evaluator)
	all := append([]*monitor.Source(nil), st.sources...)
	for _, p := range st.push {
		all = append(all, &monitor.Source{Name: p.name})
	}
	d.runner.SetSources(all)
	d.current.Store(st) // before scheduling: the push handler reads it
	if err := d.scheduler.Apply(st.sources, true); err != nil {
		return err // not reached: buildSetup parsed every schedule
	}
	d.reloadOK.Set(1)
	d.reloadSuccess.SetToCurrentTime()
	return nil
}

// reload re-reads the config file and its zones; everything that can fail is
// built before anything running is replaced. On failure the old setup stays.
func (d *Daemon) reload() error {
	d.reloadMu.Lock()
	defer d.reloadMu.Unlock()
	d.notify.Reloading()
	defer d.notify.Ready()
	cfg, err := configs.Load(d.o.ConfigFile)
	if err == nil {
		var st *setup
		if st, err = buildSetup(cfg); err == nil {
			err = d.apply(st)
		}
	}
	if err != nil {
		d.reloadOK.Set(0)
		return err
	}
	d.log.Info("configuration reloaded", "config", d.o.ConfigFile)
	return nil
}
