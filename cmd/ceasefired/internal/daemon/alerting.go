package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/version"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// alertStateKey is where the alert lifecycle is kept in the store.
const alertStateKey = "alerts"

// alerting connects violations to Alertmanager: the lifecycle manager, the
// sender with its per-Alertmanager queues, and persistence of the
// lifecycle so that a restart neither loses a firing alert nor announces it
// anew.
type alerting struct {
	log     *slog.Logger
	db      *store.DB
	sender  *alerts.Sender
	manager *alerts.Manager
	// due is signalled when a new alert fires, so that it goes out now
	// rather than at the next resend tick.
	due chan struct{}
}

func managerOptions(a configs.Alerting, externalURL string, sender alerts.Notifier) alerts.ManagerOptions {
	return alerts.ManagerOptions{
		Hold: time.Duration(a.Hold), ResendDelay: time.Duration(a.ResendDelay),
		Severity: a.Severity, ExternalURL: externalURL, Sender: sender,
	}
}

func newAlerting(ctx context.Context, cfg *configs.Config, externalURL string, db *store.DB,
	reg prometheus.Registerer, log *slog.Logger) (*alerting, error) {
	sender, err := alerts.NewSender(alerts.SenderOptions{
		Alertmanagers: cfg.Alerting.Alertmanagers, UserAgent: "ceasefired/" + version.Version,
		Logger: log, Registerer: reg,
	})
	if err != nil {
		return nil, err
	}
	a := &alerting{log: log, db: db, sender: sender, due: make(chan struct{}, 1),
		manager: alerts.NewManager(managerOptions(cfg.Alerting, externalURL, sender))}
	state, ok, err := db.GetState(ctx, alertStateKey)
	if err != nil {
		return nil, fmt.Errorf("read alert state: %w", err)
	}
	if ok {
		if err := a.manager.Restore(state); err != nil {
			return nil, fmt.Errorf("restore alert state: %w", err)
		}
	}
	// Violations committed just before a crash may be missing from the
	// state, which is written after each commit: recover them from the
	// store, which has every violation that could still keep an alert
	// firing (those younger than the hold).
	since := time.Now().Add(-time.Duration(cfg.Alerting.Hold))
	vs, err := db.Since(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("recover alert state: %w", err)
	}
	if a.manager.Recover(events(vs)...) {
		a.wake()
	}
	a.persist()
	return a, nil
}

// events converts violations to alert events, leaving out ambiguous ones:
// they are evidence only, since the incident may have been outside.
func events(vs []monitor.Violation) []alerts.Event {
	evs := make([]alerts.Event, 0, len(vs))
	for _, v := range vs {
		if v.Placement == monitor.Ambiguous {
			continue
		}
		evs = append(evs, alerts.Event{Trial: v.Trial, ZoneID: v.ZoneID, Category: string(v.Category),
			Source: v.Source, IncidentID: v.IncidentID, OccurredAt: v.OccurredAt, Lon: v.Lon, Lat: v.Lat})
	}
	return evs
}

// observe is the runner's OnViolations hook: it records the violations and
// persists the lifecycle before the fetch goes on.
func (a *alerting) observe(vs []monitor.Violation) {
	evs := events(vs)
	if len(evs) == 0 {
		return
	}
	fired := a.manager.Observe(evs...)
	a.persist()
	if fired {
		a.wake()
	}
}

// retract is the runner's OnRetractions hook: each alert that lost
// violations learns what still stands for it (the newest standing event
// time, from the store) and resolves when nothing keeps it firing.
func (a *alerting) retract(vs []monitor.Violation) {
	type key struct{ trial, zone, category string }
	lost := map[key]int{}
	for _, v := range vs {
		if v.Placement != monitor.Ambiguous {
			lost[key{v.Trial, v.ZoneID, string(v.Category)}]++
		}
	}
	if len(lost) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	totals, err := a.db.Totals(ctx)
	if err != nil {
		a.log.Error("read standing violations for retracted alerts", "err", err)
		return
	}
	latest := map[key]time.Time{}
	for _, t := range totals {
		latest[key{t.Trial, t.ZoneID, string(t.Category)}] = t.Last
	}
	changed := false
	for k, n := range lost {
		changed = a.manager.Retract(k.trial, k.zone, k.category, n, latest[k]) || changed
	}
	a.persist()
	if changed {
		a.wake()
	}
}

// wake asks the main loop to tick now, without waiting for the next resend.
func (a *alerting) wake() {
	select {
	case a.due <- struct{}{}:
	default: // a tick is already due
	}
}

// tick sends every firing alert and the recently resolved ones, then
// persists the lifecycle.
func (a *alerting) tick() {
	a.manager.Tick()
	a.persist()
}

func (a *alerting) persist() {
	state, err := a.manager.State()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = a.db.PutState(ctx, alertStateKey, state)
		cancel()
	}
	if err != nil {
		a.log.Error("persist alert state", "err", err)
	}
}

// apply takes a reloaded config's alerting section. The Alertmanager list
// is checked by the config loader, so ApplyConfig fails only on a bug.
func (a *alerting) apply(cfg *configs.Config, externalURL string) error {
	if err := a.sender.ApplyConfig(cfg.Alerting.Alertmanagers); err != nil {
		return err
	}
	a.manager.SetOptions(managerOptions(cfg.Alerting, externalURL, a.sender))
	return nil
}

// externalURL returns the configured URL, or one derived from the first
// listener (with the host name for an unspecified address), for alert
// links.
func externalURL(configured string, addrs []net.Addr) string {
	if configured != "" || len(addrs) == 0 {
		return configured
	}
	if tcp, ok := addrs[0].(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		if host, err := os.Hostname(); err == nil {
			return fmt.Sprintf("http://%s:%d", host, tcp.Port)
		}
	}
	return "http://" + DisplayAddr(addrs[0])
}

// DisplayAddr turns a bound address into one a browser can open: an
// unspecified host becomes localhost.
func DisplayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return fmt.Sprintf("localhost:%d", tcp.Port)
}
