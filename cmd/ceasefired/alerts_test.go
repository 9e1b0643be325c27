package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alertSetup is a daemon config with a CSV spool and the given
// Alertmanagers, resending every second.
type alertSetup struct {
	dir, cfg, storage string
}

func newAlertSetup(t *testing.T, hold string, alertmanagers ...string) *alertSetup {
	t.Helper()
	dir := t.TempDir()
	cfg := writeSmallConfig(t, dir)
	data, _ := os.ReadFile(cfg)
	// A trial active now.
	start := time.Now().UTC().Add(-24 * time.Hour).Format(time.RFC3339)
	data = []byte(strings.Replace(string(data), "start: 2026-01-01T00:00:00Z", "start: "+start, 1))
	extra := fmt.Sprintf("alerting:\n  alertmanagers: [%s]\n  resend_delay: 1s\n  hold: %s\n",
		strings.Join(alertmanagers, ", "), hold)
	if err := os.WriteFile(cfg, append(data, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	return &alertSetup{dir: dir, cfg: cfg, storage: filepath.Join(dir, "data")}
}

// report drops a field report of shelling in the north sector, at time at,
// into the spool.
func (s *alertSetup) report(t *testing.T, id string, at time.Time) {
	t.Helper()
	body := fmt.Sprintf("id,time,lat,lon,category\n%s,%s,48.61,37.25,shelling\n", id, at.UTC().Format(time.RFC3339))
	tmp := filepath.Join(s.dir, "spool", id+".part")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, "spool", id+".csv")); err != nil {
		t.Fatal(err)
	}
}

func firingNorth(w *webhookSink) int { return w.count("firing", "zone_id", "north") }

// TestAlertReachesWebhook: an ingested violation reaches Alertmanager
// and its webhook within 5 s, with the labels and annotations of the
// contract.
func TestAlertReachesWebhook(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	am.start()
	s := newAlertSetup(t, "6h", am.url())
	startDaemon(t, s.cfg, s.storage)
	start := time.Now()
	s.report(t, "a1", time.Now().Add(-time.Minute))
	waitFor(t, 5*time.Second, "the webhook notified", func() bool { return firingNorth(hook) > 0 })
	t.Logf("violation to webhook: %s", time.Since(start).Round(time.Millisecond))
	a := hook.notifications()[0].Alerts[0]
	for k, v := range map[string]string{"alertname": "CeasefireViolation", "trial": "t1", "zone_id": "north",
		"category": "shelling", "severity": "critical"} {
		if a.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, a.Labels[k], v)
		}
	}
	if !strings.Contains(a.Annotations["latest_incident"], "a1") || a.Annotations["violations"] != "1" {
		t.Errorf("annotations %v", a.Annotations)
	}
}

// TestAlertmanagerDownThenUp: Alertmanager is down when the violation
// is ingested and started later: the alert arrives; then Alertmanager
// is restarted (it keeps alerts only in memory): the alert is back within
// one resend interval.
func TestAlertmanagerDownThenUp(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	s := newAlertSetup(t, "6h", am.url())
	p := startDaemon(t, s.cfg, s.storage)
	s.report(t, "b1", time.Now().Add(-time.Minute))
	waitFor(t, 10*time.Second, "a failed delivery", func() bool {
		return sumSeries(p.metrics(t), "ceasefire_alerts_send_failures_total{") > 0
	})
	am.start()
	waitFor(t, 5*time.Second, "the alert after Alertmanager came up", func() bool { return firingNorth(hook) > 0 })

	am.stop()
	am.start()
	restarted := time.Now()
	waitFor(t, 3*time.Second, "the alert back in the restarted Alertmanager", func() bool { return len(am.alerts()) > 0 })
	if d := time.Since(restarted); d > 2*time.Second {
		t.Errorf("alert back after %s, more than one resend interval (1 s) plus a second", d)
	}
}

// TestHungAlertmanager: with two Alertmanagers, one that accepts the
// connection and never replies, the healthy one still gets every alert on
// time.
func TestHungAlertmanager(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	hung, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := hung.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // read nothing, answer nothing
		}
	}()
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	am.start()
	s := newAlertSetup(t, "6h", "http://"+hung.Addr().String(), am.url())
	p := startDaemon(t, s.cfg, s.storage)
	for i := 0; i < 3; i++ {
		at := time.Now()
		s.report(t, fmt.Sprintf("d%d", i), at.Add(-time.Minute))
		want := i + 1
		waitFor(t, 5*time.Second, "the healthy Alertmanager updated", func() bool {
			for _, a := range am.alerts() {
				ann, _ := a["annotations"].(map[string]any)
				if ann["violations"] == fmt.Sprint(want) {
					return true
				}
			}
			return false
		})
		t.Logf("violation %d reached the healthy Alertmanager after %s", want, time.Since(at).Round(time.Millisecond))
	}
	// SIGTERM while the hung one holds its alerts: they are kept for the
	// next start, and the stop is clean (under systemd, not a failure).
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM with a hung Alertmanager: %v, want 0\n%s", err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "kept for the next start") {
		t.Errorf("no log of the undelivered alerts kept:\n%s", p.stderr)
	}
}

// TestHoldLapses: once the hold lapses the webhook receives the
// resolved notification.
func TestHoldLapses(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	am.start()
	s := newAlertSetup(t, "4s", am.url())
	startDaemon(t, s.cfg, s.storage)
	s.report(t, "e1", time.Now())
	waitFor(t, 5*time.Second, "firing", func() bool { return firingNorth(hook) > 0 })
	waitFor(t, 10*time.Second, "resolved", func() bool { return hook.count("resolved", "zone_id", "north") > 0 })
}

// TestDaemonRestartWhileFiring: the daemon restarts while an alert
// fires: startsAt is unchanged and the webhook gets no second "firing"
// notification (Alertmanager's repeat interval is an hour).
func TestDaemonRestartWhileFiring(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	am.start()
	s := newAlertSetup(t, "6h", am.url())
	p := startDaemon(t, s.cfg, s.storage)
	s.report(t, "f1", time.Now().Add(-time.Minute))
	waitFor(t, 5*time.Second, "firing", func() bool { return firingNorth(hook) > 0 })
	before := am.alerts()[0]["startsAt"]

	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	startDaemon(t, s.cfg, s.storage)
	time.Sleep(4 * time.Second) // several resends
	alerts := am.alerts()
	if len(alerts) != 1 || alerts[0]["startsAt"] != before {
		t.Errorf("after restart: %d alerts, startsAt %v, want 1 with startsAt %v", len(alerts), alerts[0]["startsAt"], before)
	}
	if n := firingNorth(hook); n != 1 {
		t.Errorf("%d firing notifications, want 1", n)
	}
}
