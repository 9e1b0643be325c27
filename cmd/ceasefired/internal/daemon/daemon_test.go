package daemon

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// startDaemon builds and starts a daemon, stopped at the end of the test
// if the test does not stop it.
func startDaemon(t *testing.T, o Options) *Daemon {
	t.Helper()
	d, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return startBuilt(t, d)
}

func startBuilt(t *testing.T, d *Daemon) *Daemon {
	t.Helper()
	if err := d.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	// Stop returns the same error each time: a test that cares calls it
	// itself and checks it.
	t.Cleanup(func() { _ = d.Stop() })
	return d
}

// TestStopKeepsUndeliveredAlerts: an Alertmanager that never answers does
// not make Stop fail; what it did not take is persisted and sent at the
// next start, even a resolution the alert state has forgotten by then.
func TestStopKeepsUndeliveredAlerts(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Second)
	am := newFakeAlertmanager(t, false)
	e := newTestEnv(t, start, fmt.Sprintf("alerting:\n  alertmanagers: [%s]\n  resend_delay: 1s\n  hold: 1h\n", am.URL))
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	at := start.Add(-time.Minute)
	if code, body := pushReport(t, *addr.Load(), "r1", at); code != http.StatusAccepted {
		t.Fatalf("push: %d %s", code, body)
	}
	waitFor(t, 5*time.Second, "the alert held by the Alertmanager", func() bool { return am.held.Load() > 0 })
	// The hold lapses while the Alertmanager still does not answer.
	resolvedAt := at.Add(time.Hour)
	e.clock.Set(resolvedAt.Add(time.Second))
	d.alerting.tick()
	if err := d.Stop(); err != nil {
		t.Fatalf("Stop with an Alertmanager that does not answer: %v, want nil", err)
	}
	if !strings.Contains(e.logs.String(), "alerts not delivered, kept for the next start") {
		t.Errorf("no log line about the undelivered alerts:\n%s", e.logs)
	}

	// Restarted once the resolved alert is past its retention: the alert
	// state no longer has it, only the undelivered alerts do.
	e.clock.Set(resolvedAt.Add(alerts.ResolvedRetention + time.Minute))
	am.answer.Store(true)
	d = startDaemon(t, e.options(&addr))
	waitFor(t, 5*time.Second, "the resolved alert", func() bool {
		for _, a := range am.alerts() {
			ends, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(a["endsAt"]))
			if ends.Equal(resolvedAt) {
				return true
			}
		}
		return false
	})
	if n := len(d.alerting.manager.Active()); n != 0 {
		t.Errorf("%d alerts active after the restart, want 0", n)
	}
}

// failingPuts is a store whose state writes fail once fail is set, as on
// a full disk.
type failingPuts struct {
	stateDB
	fail *atomic.Bool
}

func (f failingPuts) PutState(ctx context.Context, key string, value []byte) error {
	if f.fail.Load() {
		return fmt.Errorf("store state %q: %w", key, syscall.ENOSPC)
	}
	return f.stateDB.PutState(ctx, key, value)
}

// TestStopFailsWhenStateNotPersisted: Stop reports state it could not
// persist, so that the command exits non-zero.
func TestStopFailsWhenStateNotPersisted(t *testing.T) {
	e := newTestEnv(t, time.Now(), "")
	var addr atomic.Pointer[string]
	d, err := New(e.options(&addr))
	if err != nil {
		t.Fatal(err)
	}
	var fail atomic.Bool
	d.open = func(dir string, o store.Options) (stateDB, error) {
		db, err := openStore(dir, o)
		if err != nil {
			return nil, err
		}
		return failingPuts{db, &fail}, nil
	}
	startBuilt(t, d)
	fail.Store(true)
	err = d.Stop()
	if err == nil || !strings.Contains(err.Error(), "persist alert state") {
		t.Fatalf("Stop = %v, want an error naming the alert state", err)
	}
}

// TestReloadLogsWarnings: a reload logs the config's warnings as the
// start does.
func TestReloadLogsWarnings(t *testing.T) {
	e := newTestEnv(t, time.Now(), "")
	extra := filepath.Join(e.dir, "extra.geojson")
	if err := os.WriteFile(extra, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"sector_id":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
{"type":"Feature","properties":{"sector_id":"p"},"geometry":{"type":"Point","coordinates":[0.5,0.5]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg = []byte(strings.Replace(string(cfg), "zones:\n", "zones:\n  - {file: extra.geojson, id_property: sector_id}\n", 1))
	if err := os.WriteFile(e.cfg, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	warnings := func() int { return strings.Count(e.logs.String(), "geometry type Point is not Polygon") }
	if n := warnings(); n != 1 {
		t.Fatalf("%d warnings after start, want 1:\n%s", n, e.logs)
	}
	if err := d.Reload(); err != nil {
		t.Fatal(err)
	}
	if n := warnings(); n != 2 {
		t.Errorf("%d warnings after a reload, want 2:\n%s", n, e.logs)
	}
}

// TestApplyError: a setup the running parts refuse is reported and
// changes nothing.
func TestApplyError(t *testing.T) {
	e := newTestEnv(t, time.Now(), "")
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	old := d.current.Load()
	cfg := *old.cfg
	cfg.Alerting.Alertmanagers = []string{"ftp://alertmanager.invalid"}
	bad := *old
	bad.cfg = &cfg
	if err := d.apply(&bad); err == nil || !strings.Contains(err.Error(), "scheme must be http or https") {
		t.Fatalf("apply = %v, want the Alertmanager's error", err)
	}
	if d.current.Load() != old {
		t.Error("the refused setup replaced the running one")
	}
}
