package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestOpenReaderWhileWriting opens a reader beside an open writer (the
// daemon running) and checks that it sees every committed batch, that it
// cannot write, and what the report queries return.
func TestOpenReaderWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	w, err := Open(dir, Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	mustCommit(t, w, numberedBatch("firms", 0, 3))
	r, err := OpenReader(dir, Options{})
	if err != nil {
		t.Fatalf("OpenReader beside a writer: %v", err)
	}
	defer r.Close()
	clock = clock.Add(time.Hour)
	mustCommit(t, w, numberedBatch("firms", 1, 2))

	t.Run("sees the newest commit", func(t *testing.T) {
		vs, err := r.TrialViolations(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 5 {
			t.Fatalf("TrialViolations = %d violations, want 5", len(vs))
		}
		for i := 1; i < len(vs); i++ {
			if vs[i].OccurredAt.Before(vs[i-1].OccurredAt) {
				t.Errorf("violation %d is older than %d", i, i-1)
			}
		}
		if vs, _ := r.TrialViolations(ctx, "other"); len(vs) != 0 {
			t.Errorf("TrialViolations(other) = %d, want 0", len(vs))
		}
	})
	t.Run("last commit", func(t *testing.T) {
		got, err := r.LastCommit(ctx)
		if err != nil || !got.Equal(clock) {
			t.Errorf("LastCommit = %v, %v; want %v", got, err, clock)
		}
	})
	t.Run("incident", func(t *testing.T) {
		inc, ok, err := r.Incident(ctx, "firms", "1-1")
		if err != nil || !ok || inc.Raw == "" || inc.Deleted {
			t.Errorf("Incident = %+v, %v, %v", inc, ok, err)
		}
		if _, ok, err := r.Incident(ctx, "firms", "nope"); ok || err != nil {
			t.Errorf("Incident(nope) = %v, %v; want not found", ok, err)
		}
	})
	t.Run("refuses writes", func(t *testing.T) {
		if _, err := r.Commit(ctx, numberedBatch("firms", 2, 1)); err == nil {
			t.Error("Commit on a reader succeeded")
		}
	})
}

// TestTrialTiers: one tier per incident of the trial, whatever its zones
// and placement, following its updates.
func TestTrialTiers(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, t.TempDir())
	a, b := incident("s", "a", time.Hour), incident("s", "b", 2*time.Hour)
	amb := item(incident("r", "c", 3*time.Hour), "Z1")
	amb.Violations[0].Placement = monitor.Ambiguous
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{item(a, "Z1", "Z2"), item(b, "Z1")},
		Tiers: []monitor.TierUpdate{{Trial: "t", IncidentID: "a", Tier: "corroborated"}}})
	mustCommit(t, db, &monitor.Batch{Source: "r", Items: []monitor.Item{amb}})
	got, err := db.TrialTiers(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []monitor.TierUpdate{{Trial: "t", Source: "r", IncidentID: "c", Tier: "single"},
		{Trial: "t", Source: "s", IncidentID: "a", Tier: "corroborated"}, {Trial: "t", Source: "s", IncidentID: "b", Tier: "single"}}
	if !slices.Equal(got, want) {
		t.Errorf("TrialTiers:\n got %+v\nwant %+v", got, want)
	}
	if got, err := db.TrialTiers(ctx, "other"); err != nil || len(got) != 0 {
		t.Errorf("TrialTiers(other) = %v, %v; want none", got, err)
	}
}

func TestOpenReaderErrors(t *testing.T) {
	t.Run("no database", func(t *testing.T) {
		_, err := OpenReader(t.TempDir(), Options{})
		if !errors.Is(err, ErrNoStore) {
			t.Errorf("OpenReader(empty folder) = %v, want ErrNoStore", err)
		}
	})
	t.Run("empty store has no last commit", func(t *testing.T) {
		dir := t.TempDir()
		openTestDB(t, dir).Close()
		r, err := OpenReader(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got, err := r.LastCommit(context.Background()); err != nil || !got.IsZero() {
			t.Errorf("LastCommit = %v, %v; want zero", got, err)
		}
	})
}
