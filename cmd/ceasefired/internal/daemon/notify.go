package daemon

import (
	"fmt"
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

// openingExtendEvery is how often, while the store opens, the daemon asks
// systemd for more start time. Opening migrates the database in place,
// which rewrites whole tables after an upgrade: about a minute for 1.3
// million incidents on a small machine, past systemd's default start
// timeout of 90 s, after which it would kill the daemon, roll the
// migration back and restart it, forever.
const openingExtendEvery = 10 * time.Second

// extendWhile runs open and, every interval until it returns, tells
// systemd to extend the start timeout by three intervals and logs once that
// the store is still opening. An open that ends within the first interval
// sends nothing.
func (n notifier) extendWhile(interval time.Duration, open func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
				if i == 0 {
					n.log.Info("the store is still opening; after an upgrade its migration rewrites the tables in place", "after", interval)
				}
				n.send(fmt.Sprintf("EXTEND_TIMEOUT_USEC=%d", (3 * interval).Microseconds()))
			}
		}
	}()
	open()
	close(done)
	<-stopped
}
