// Package daemon is the ceasefired service: it builds the pipeline from the
// config file, opens the store, restores state, schedules fetches, serves
// HTTP and delivers alerts, and reloads and stops on request. It handles no
// signals and never exits the process: the command translates signals into
// calls of Reload and Stop and errors into exit codes.
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
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// Defaults of the shutdown bounds.
const (
	// DefaultShutdownTimeout bounds Stop as a whole: running fetches, HTTP,
	// alert delivery and the store. It is shorter than the systemd unit's
	// TimeoutStopSec.
	DefaultShutdownTimeout = 25 * time.Second
	// DefaultDrainTimeout bounds how long Stop tries to deliver queued
	// alerts; what is left is persisted and sent at the next start.
	DefaultDrainTimeout = 10 * time.Second
)

// Options configure a Daemon. ConfigFile, StoragePath and Web with at least
// one listen address are required; a nil Logger discards, zero durations
// take the defaults and a nil Now is time.Now.
type Options struct {
	ConfigFile  string
	StoragePath string
	Web         *web.FlagConfig
	// ExternalURL is the base URL people reach the daemon at (alert links);
	// empty derives it from the first listener.
	ExternalURL string
	Logger      *slog.Logger
	// OnReady, when set, is called once the daemon serves and its state is
	// loaded, with the bound addresses (the demo prints its URLs there).
	OnReady func(addrs []net.Addr)
	// Now is the clock of the alert lifecycle and of alert recovery at
	// start.
	Now             func() time.Time
	ShutdownTimeout time.Duration
	DrainTimeout    time.Duration
}

// Daemon is the running service: the pieces built once at start, and the
// current setup that reloads replace.
//
// Lifecycle: New, then Start once; Reload any number of times while it
// runs, from any goroutine; Stop after a successful Start. Failed
// reports a fatal error of the HTTP server, after which the caller should
// Stop.
type Daemon struct {
	o     Options
	log   *slog.Logger
	first *setup // built by New, applied by Start

	// open opens the store; tests replace it.
	open      func(dir string, o store.Options) (stateDB, error)
	store     stateDB
	runner    *monitor.Runner
	scheduler *monitor.Scheduler
	reg       *prometheus.Registry
	alerting  *alerting
	external  string // base URL for links in alerts
	srv       *http.Server
	failed    chan error

	stopLoop     context.CancelFunc
	loopDone     chan struct{}
	evidence     *checkpointer // nil when the store is read-only and has no key
	evidenceDone chan struct{}
	reconfigured chan struct{} // a reload changed the resend delay
	ready        atomic.Bool
	notify       notifier
	current      atomic.Pointer[setup]

	stopOnce sync.Once
	stopErr  error

	reloadMu      sync.Mutex
	reloadOK      prometheus.Gauge
	reloadSuccess prometheus.Gauge
	readOnly      prometheus.Gauge
	storeReadOnly bool // the store was opened read-only

	landingMax int64 // landingMaxViolations; tests lower it
}

// New loads the config file and builds everything it describes (zone
// index, trials, sources), logging the config's warnings. It opens
// nothing: on error there is nothing to close.
func New(o Options) (*Daemon, error) {
	if o.Web == nil || o.Web.WebListenAddresses == nil || len(*o.Web.WebListenAddresses) == 0 {
		return nil, errors.New("no listen address")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	d := &Daemon{o: o, log: o.Logger, notify: notifier{o.Logger}, reconfigured: make(chan struct{}, 1),
		open: openStore, landingMax: landingMaxViolations}
	st, err := d.load()
	if err != nil {
		return nil, err
	}
	d.first = st
	return d, nil
}

// Start binds the listeners, opens the store (read-only when the disk is
// full), restores the counts and the alert state, and starts scheduling,
// serving and alert delivery. ctx bounds the start only. On error
// everything already opened is closed again, and errors in closing are
// joined to the returned one.
func (d *Daemon) Start(ctx context.Context) (err error) {
	var undo []func() error
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				err = errors.Join(err, undo[i]())
			}
		}
	}()
	listeners, err := listen(*d.o.Web.WebListenAddresses)
	if err != nil {
		return err
	}
	undo = append(undo, func() error { closeAll(listeners); return nil })
	db, readOnly, err := d.openStorage()
	if err != nil {
		return err
	}
	undo = append(undo, db.Close)
	if err := d.build(ctx, db, readOnly, listenerAddrs(listeners)); err != nil {
		return err
	}
	d.storeReadOnly = readOnly
	if d.first, err = d.editedSetup(ctx, d.first); err != nil {
		return err
	}
	undo = append(undo, func() error { return d.scheduler.Stop(context.Background()) })
	if err := d.startEvidence(ctx, readOnly); err != nil {
		return err
	}
	if err := d.apply(d.first); err != nil {
		return err
	}
	d.firstCheckpoint(ctx)
	d.alerting.run()
	d.serveHTTP(listeners)
	loopCtx, stopLoop := context.WithCancel(context.Background())
	d.stopLoop, d.loopDone, d.evidenceDone = stopLoop, make(chan struct{}), make(chan struct{})
	go func() { defer close(d.loopDone); d.loop(loopCtx) }()
	go func() { defer close(d.evidenceDone); d.runEvidence(loopCtx) }()

	d.ready.Store(true)
	d.notify.Ready()
	if d.o.OnReady != nil {
		d.o.OnReady(listenerAddrs(listeners))
	}
	cfg := d.first.cfg
	d.log.Info("ceasefired started", "config", d.o.ConfigFile, "storage", db.Path(), "read_only", readOnly,
		"zones", len(cfg.Loaded), "trials", len(cfg.Trials), "sources", len(cfg.Sources),
		"alertmanagers", len(cfg.Alerting.Alertmanagers))
	return nil
}

// build makes the running parts over the opened store and restores their
// state: metrics, alerting, the runner with its counts, the scheduler.
func (d *Daemon) build(ctx context.Context, db stateDB, readOnly bool, addrs []net.Addr) error {
	d.store = db
	d.external = externalURL(d.o.ExternalURL, addrs)
	d.reg = prometheus.NewRegistry()
	d.registerMetrics(readOnly)
	var err error
	d.alerting, err = newAlerting(ctx, alertingOptions{Config: d.first.cfg.Alerting, ExternalURL: d.external,
		Store: db, ReadOnly: readOnly, Registerer: d.reg, Logger: d.log, Now: d.o.Now})
	if err != nil {
		return err
	}
	var st monitor.Store = db
	if readOnly {
		st = readOnlyStore{db}
	}
	d.runner = monitor.NewRunner(monitor.RunnerOptions{Store: st, Logger: d.log, Registerer: d.reg,
		OnViolations: d.alerting.observe, OnRetractions: d.alerting.retract, OnPromotions: d.alerting.promote})
	if err := d.runner.Restore(ctx); err != nil {
		return fmt.Errorf("restore counts: %w", err)
	}
	d.reg.MustRegister(verdicts.NewCollector(d.verdicts, d.log))
	d.scheduler = monitor.NewScheduler(d.runner, d.log)
	return nil
}

// Failed returns a channel that receives an error when serving HTTP fails
// on a listener; the daemon is then only partly reachable and should be
// stopped.
func (d *Daemon) Failed() <-chan error { return d.failed }

// serveHTTP serves the routes on every listener, with exporter-toolkit's
// TLS and basic auth when --web.config.file is set.
func (d *Daemon) serveHTTP(listeners []net.Listener) {
	d.srv = &http.Server{Handler: d.routes(), ReadHeaderTimeout: 10 * time.Second}
	d.failed = make(chan error, len(listeners))
	for _, l := range listeners {
		go func() {
			if err := web.Serve(l, d.srv, d.o.Web, d.log); !errors.Is(err, http.ErrServerClosed) {
				d.failed <- fmt.Errorf("serve HTTP on %s: %w", l.Addr(), err)
			}
		}()
	}
}

// Stop stops scheduling and waits for running fetches, stops HTTP,
// persists the alert state, gives queued alerts up to DrainTimeout to
// reach Alertmanager and persists what is left for the next start, then
// closes the store, all within ShutdownTimeout. An Alertmanager that does
// not answer is not an error; state that could not be persisted is. Calls
// after the first return its result.
func (d *Daemon) Stop() error {
	d.stopOnce.Do(func() { d.stopErr = d.stop() })
	return d.stopErr
}

func (d *Daemon) stop() error {
	d.log.Info("shutting down")
	d.notify.Stopping()
	d.ready.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), d.o.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := d.scheduler.Stop(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stop fetches: %w", err))
	}
	if err := d.srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stop HTTP: %w", err))
	}
	d.stopLoop()
	<-d.loopDone
	<-d.evidenceDone
	d.finalCheckpoint(ctx)
	if err := d.alerting.stop(ctx, d.o.DrainTimeout); err != nil {
		errs = append(errs, err)
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

// closeAll closes listeners that were never served; their errors say
// nothing worth reporting.
func closeAll(ls []net.Listener) {
	for _, l := range ls {
		_ = l.Close()
	}
}

func listenerAddrs(ls []net.Listener) []net.Addr {
	addrs := make([]net.Addr, len(ls))
	for i, l := range ls {
		addrs[i] = l.Addr()
	}
	return addrs
}
