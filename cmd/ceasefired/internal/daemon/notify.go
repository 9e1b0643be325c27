package daemon

import (
	"log/slog"
	"time"

	sd "github.com/coreos/go-systemd/v22/daemon"
)

// notifier tells systemd (Type=notify) about the daemon's state. Outside
// systemd, where NOTIFY_SOCKET is unset, every call does nothing.
type notifier struct{ log *slog.Logger }

func (n notifier) send(state string) {
	if _, err := sd.SdNotify(false, state); err != nil {
		n.log.Warn("notify systemd", "state", state, "err", err)
	}
}

// Ready: state is loaded and the listeners are bound.
func (n notifier) Ready() { n.send(sd.SdNotifyReady) }

// Reloading: a reload has started; Ready follows when it ends.
func (n notifier) Reloading() { n.send(sd.SdNotifyReloading) }

// Stopping: shutdown has begun.
func (n notifier) Stopping() { n.send(sd.SdNotifyStopping) }

// Watchdog: the main loop is alive.
func (n notifier) Watchdog() { n.send(sd.SdNotifyWatchdog) }

// WatchdogInterval returns how often to call Watchdog (half of
// WATCHDOG_USEC), or 0 when the watchdog is off.
func (n notifier) WatchdogInterval() time.Duration {
	d, err := sd.SdWatchdogEnabled(false)
	if err != nil {
		n.log.Warn("read systemd watchdog setting", "err", err)
		return 0
	}
	return d / 2
}
