package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestAddDocumentCounts: a document's counts are added once; counting it
// again adds nothing, even beside a new document, and says why.
func TestAddDocumentCounts(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	ctx := context.Background()
	day := time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC)
	counts := []monitor.DailyCount{{Day: day, ZoneID: "north", Source: "archive", Category: monitor.ThermalAnomaly, Count: 2}}
	a, b := [32]byte{1}, [32]byte{2}
	if err := db.AddDocumentCounts(ctx, "archive", [][32]byte{a}, counts); err != nil {
		t.Fatal(err)
	}
	if err := db.AddDocumentCounts(ctx, "archive", [][32]byte{b, a}, counts); !errors.Is(err, ErrCounted) {
		t.Errorf("counting a document again: %v, want ErrCounted", err)
	}
	got, err := db.DailyCounts(ctx, day, day.AddDate(0, 0, 1))
	if err != nil || len(got) != 1 || got[0].Count != 2 {
		t.Errorf("daily counts %v, %v; want the first document's 2 alone", got, err)
	}
	counted, err := db.Counted(ctx, "archive", [][32]byte{a, b})
	if err != nil || len(counted) != 1 || counted[a].IsZero() {
		t.Errorf("Counted = %v, %v; want the first document alone", counted, err)
	}
	if other, err := db.Counted(ctx, "other", [][32]byte{a}); err != nil || len(other) != 0 {
		t.Errorf("Counted for another source = %v, %v; want none", other, err)
	}
}
