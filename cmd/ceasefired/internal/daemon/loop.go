package daemon

import (
	"context"
	"time"
)

// loop is the main loop: it feeds the systemd watchdog and re-sends alerts
// every resend delay, and at once when one fires, until ctx is done.
func (d *Daemon) loop(ctx context.Context) {
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
			return
		case <-watchdog:
			d.notify.Watchdog()
		case <-resend.C:
			d.alerting.tick()
		case <-d.alerting.due:
			d.alerting.tick()
		case <-d.reconfigured:
		}
		// A reload may have changed the delay.
		if every := d.resendDelay(); every != resendEvery {
			resendEvery = every
			resend.Reset(every)
		}
	}
}

func (d *Daemon) resendDelay() time.Duration {
	return time.Duration(d.current.Load().cfg.Alerting.ResendDelay)
}
