package daemon

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/store/storetest"
)

// violationAt is a violation of shelling in zone of trial t1 at at.
func violationAt(id, zone string, at time.Time, p monitor.Placement) monitor.Violation {
	return monitor.Violation{Trial: "t1", ZoneID: zone, Category: monitor.Shelling, Source: "spool",
		IncidentID: id, OccurredAt: at, Lon: 37.25, Lat: 48.61, Placement: p, Day: 1}
}

// commitViolations stores one incident per violation, as a fetch would,
// without touching the alert state.
func commitViolations(t *testing.T, db *store.DB, vs ...monitor.Violation) {
	t.Helper()
	b := &monitor.Batch{Source: "spool"}
	for _, v := range vs {
		inc := monitor.Incident{Source: "spool", ID: v.IncidentID, OccurredAt: v.OccurredAt, Lon: v.Lon, Lat: v.Lat,
			Category: v.Category, Confidence: -1, Raw: v.IncidentID}
		b.Items = append(b.Items, monitor.Item{Incident: inc, Violations: []monitor.Violation{v}})
	}
	if _, err := db.Commit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// newTestAlerting builds the alerting glue over db, sending to the given
// Alertmanagers, at now.
func newTestAlerting(t *testing.T, db stateDB, now time.Time, alertmanagers ...string) *alerting {
	t.Helper()
	a, err := newAlerting(context.Background(), alertingOptions{
		Config: configs.Alerting{Alertmanagers: alertmanagers, ResendDelay: model.Duration(time.Minute),
			Hold: model.Duration(6 * time.Hour)},
		Store: db, Registerer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func openTestStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	storetest.Seed(t, dir)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAlertEvents: inside and buffer placements alert; ambiguous ones are
// evidence only.
func TestAlertEvents(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		placement monitor.Placement
		alerts    bool
	}{
		{monitor.Inside, true},
		{monitor.Buffer, true},
		{monitor.Ambiguous, false},
	} {
		t.Run(string(tt.placement), func(t *testing.T) {
			evs := alertEvents([]monitor.Violation{violationAt("i1", "north", at, tt.placement)})
			if got := len(evs) == 1; got != tt.alerts {
				t.Fatalf("alerts: %v, want %v", got, tt.alerts)
			}
			if tt.alerts && (evs[0].ZoneID != "north" || evs[0].Category != "shelling" || !evs[0].OccurredAt.Equal(at)) {
				t.Errorf("event %+v", evs[0])
			}
		})
	}
}

// TestAlertRecoveredAfterCrash: a crash right after a commit leaves its
// violation stored but not in the alert state, which is written next. At
// the next start the alert is recovered from the store and sent; an
// ambiguous violation stored with it is not.
func TestAlertRecoveredAfterCrash(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	db := openTestStore(t, t.TempDir())
	commitViolations(t, db,
		violationAt("c1", "north", now.Add(-time.Minute), monitor.Inside),
		violationAt("c2", "south", now.Add(-time.Minute), monitor.Ambiguous),
		violationAt("old", "west", now.Add(-7*time.Hour), monitor.Inside), // older than the hold
	)
	if _, ok, err := db.GetState(context.Background(), alertStateKey); ok || err != nil {
		t.Fatalf("alert state before the start: present %v, err %v; want none", ok, err)
	}
	am := newFakeAlertmanager(t, true)
	a := newTestAlerting(t, db, now, am.URL)
	a.run()
	a.tick()
	waitFor(t, 5*time.Second, "the recovered alert", func() bool { return len(am.alerts()) > 0 })
	got := am.alerts()
	labels, _ := got[0]["labels"].(map[string]any)
	ann, _ := got[0]["annotations"].(map[string]any)
	if len(got) != 1 || labels["zone_id"] != "north" || ann["latest_incident"] != "spool/c1" {
		t.Errorf("Alertmanager got %v, want the one alert of north with latest spool/c1", got)
	}
	if err := a.stop(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	// The recovery was persisted: a second start finds it in the state.
	if _, ok, err := db.GetState(context.Background(), alertStateKey); !ok || err != nil {
		t.Errorf("alert state after the start: present %v, err %v", ok, err)
	}
}

// TestAlertStateSurvivesRestart: an observed violation is persisted at
// once; a restart restores the alert with its startsAt and counts, and
// does not count the stored violation again.
func TestAlertStateSurvivesRestart(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	db := openTestStore(t, dir)
	v := violationAt("s1", "north", now.Add(-time.Minute), monitor.Inside)
	a := newTestAlerting(t, db, now)
	commitViolations(t, db, v)
	a.observe([]monitor.Violation{v})
	before := a.manager.Active()

	b := newTestAlerting(t, db, now.Add(time.Hour))
	after := b.manager.Active()
	if len(before) != 1 || len(after) != 1 {
		t.Fatalf("active before %d, after %d; want 1 and 1", len(before), len(after))
	}
	if !after[0].StartsAt.Equal(before[0].StartsAt) || after[0].Annotations["violations"] != "1" {
		t.Errorf("after restart: startsAt %v, violations %s; want %v and 1",
			after[0].StartsAt, after[0].Annotations["violations"], before[0].StartsAt)
	}
}

// TestRetractResolves: an alert whose only violation is retracted
// resolves at once.
func TestRetractResolves(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	db := openTestStore(t, t.TempDir())
	v := violationAt("r1", "north", now.Add(-time.Minute), monitor.Inside)
	a := newTestAlerting(t, db, now)
	a.observe([]monitor.Violation{v})
	if len(a.manager.Active()) != 1 {
		t.Fatal("no active alert after observe")
	}
	a.retract([]monitor.Violation{v}) // the store has no standing violation
	if n := len(a.manager.Active()); n != 0 {
		t.Errorf("%d active alerts after the retraction, want 0", n)
	}
	select {
	case <-a.due:
	default:
		t.Error("the retraction did not ask for a tick")
	}
}
