package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/version"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/configs"
)

// Keys of the alert state in the store.
const (
	// alertStateKey holds the alert lifecycle (alerts.Manager.State).
	alertStateKey = "alerts"
	// undeliveredKey holds the alerts Alertmanagers had not taken at the
	// last stop (alerts.Sender.State).
	undeliveredKey = "alerts.undelivered"
)

// persistTimeout bounds one write of the alert state.
const persistTimeout = 10 * time.Second

// alertingOptions configure newAlerting.
type alertingOptions struct {
	Config      configs.Alerting
	ExternalURL string
	Store       stateDB
	// ReadOnly means the store cannot be written: nothing is persisted.
	ReadOnly   bool
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
}

// alerting connects violations to Alertmanager: the lifecycle manager, the
// sender with its per-Alertmanager queues, and persistence of both, so that
// a restart neither loses a firing alert, nor announces it anew, nor
// forgets what an Alertmanager had not received.
type alerting struct {
	log      *slog.Logger
	db       stateDB
	readOnly bool
	now      func() time.Time
	sender   *alerts.Sender
	manager  *alerts.Manager
	// due is signalled when a new alert fires, so that it goes out now
	// rather than at the next resend tick.
	due chan struct{}

	stopSender context.CancelFunc
	senderDone chan struct{}
}

func managerOptions(a configs.Alerting, externalURL string, sender alerts.Notifier, now func() time.Time) alerts.ManagerOptions {
	return alerts.ManagerOptions{
		Hold: time.Duration(a.Hold), ResendDelay: time.Duration(a.ResendDelay),
		Severity: a.Severity, ExternalURL: externalURL, Sender: sender, Now: now,
	}
}

// newAlerting builds the manager and the sender and restores their state
// from the store (see restore). The sender does not run until run.
func newAlerting(ctx context.Context, o alertingOptions) (*alerting, error) {
	sender, err := alerts.NewSender(alerts.SenderOptions{
		Alertmanagers: o.Config.Alertmanagers, UserAgent: "ceasefired/" + version.Version,
		Logger: o.Logger, Registerer: o.Registerer,
	})
	if err != nil {
		return nil, err
	}
	a := &alerting{log: o.Logger, db: o.Store, readOnly: o.ReadOnly, now: o.Now, sender: sender,
		due: make(chan struct{}, 1), senderDone: make(chan struct{}),
		manager: alerts.NewManager(managerOptions(o.Config, o.ExternalURL, sender, o.Now))}
	if err := a.restore(ctx, time.Duration(o.Config.Hold)); err != nil {
		return nil, err
	}
	if err := a.persist(); err != nil {
		a.log.Error("persist alert state", "err", err)
	}
	return a, nil
}

// restore loads the persisted lifecycle, recovers violations committed
// just before a crash, and queues the alerts the last stop could not
// deliver ahead of the first tick.
func (a *alerting) restore(ctx context.Context, hold time.Duration) error {
	state, ok, err := a.db.GetState(ctx, alertStateKey)
	if err != nil {
		return fmt.Errorf("read alert state: %w", err)
	}
	if ok {
		if err := a.manager.Restore(state); err != nil {
			return fmt.Errorf("restore alert state: %w", err)
		}
	}
	// Violations committed just before a crash may be missing from the
	// state, which is written after each commit: recover them from the
	// store, which has every violation that could still keep an alert
	// firing (those younger than the hold).
	if hold <= 0 {
		hold = alerts.DefaultHold
	}
	vs, err := a.db.Since(ctx, a.now().Add(-hold))
	if err != nil {
		return fmt.Errorf("recover alert state: %w", err)
	}
	if a.manager.Recover(alertEvents(vs)...) {
		a.wake()
	}
	undelivered, _, err := a.db.GetState(ctx, undeliveredKey)
	if err != nil {
		return fmt.Errorf("read undelivered alerts: %w", err)
	}
	n, err := a.sender.Restore(undelivered)
	if err != nil {
		// Losing them is no reason not to start: the lifecycle re-sends
		// every alert that still matters.
		a.log.Error("restore undelivered alerts", "err", err)
	} else if n > 0 {
		a.log.Info("re-sending alerts undelivered at the last stop", "alerts", n)
	}
	return nil
}

// run starts delivering queued alerts.
func (a *alerting) run() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stopSender = cancel
	go func() { defer close(a.senderDone); a.sender.Run(ctx) }()
}

// stop persists the lifecycle, stops delivery, gives what is queued up to
// drain to reach the Alertmanagers and persists what is left. Undelivered
// alerts are no error; state that could not be persisted is.
func (a *alerting) stop(ctx context.Context, drain time.Duration) error {
	var errs []error
	if err := a.persist(); err != nil {
		errs = append(errs, fmt.Errorf("persist alert state: %w", err))
	}
	if a.stopSender != nil {
		a.stopSender()
		<-a.senderDone
	}
	drainCtx, cancel := context.WithTimeout(ctx, drain)
	err := a.sender.Drain(drainCtx)
	cancel()
	left := 0
	for _, n := range a.sender.Alertmanagers() {
		left += n
	}
	if err != nil {
		a.log.Warn("alerts not delivered, kept for the next start", "alerts", left, "err", err)
	}
	if err := a.persistUndelivered(left); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// persistUndelivered writes what the queues still hold (left alerts), or
// an empty list, so that the next start sends it. It has a budget of its
// own: a shutdown whose budget went to slow fetches still keeps them.
func (a *alerting) persistUndelivered(left int) error {
	if a.readOnly {
		if left > 0 {
			return fmt.Errorf("%d undelivered alerts lost: the store is read-only", left)
		}
		return nil
	}
	state, err := a.sender.State()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), persistTimeout)
	defer cancel()
	if err := a.db.PutState(ctx, undeliveredKey, state); err != nil {
		return fmt.Errorf("persist %d undelivered alerts: %w", left, err)
	}
	return nil
}

// persist writes the alert lifecycle; a read-only store keeps the state it
// had at start.
func (a *alerting) persist() error {
	if a.readOnly {
		return nil
	}
	state, err := a.manager.State()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), persistTimeout)
	defer cancel()
	return a.db.PutState(ctx, alertStateKey, state)
}

// persistOrLog is persist for the hooks and the loop, which cannot return
// the error: it is logged, and the next persist tries again.
func (a *alerting) persistOrLog() {
	if err := a.persist(); err != nil {
		a.log.Error("persist alert state", "err", err)
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
	a.persistOrLog()
}

// apply takes a reloaded config's alerting section. The Alertmanager list
// is checked by the config loader, so ApplyConfig fails only on a bug; on
// its error nothing changes.
func (a *alerting) apply(cfg configs.Alerting, externalURL string) error {
	if err := a.sender.ApplyConfig(cfg.Alertmanagers); err != nil {
		return err
	}
	a.manager.SetOptions(managerOptions(cfg, externalURL, a.sender, a.now))
	return nil
}
