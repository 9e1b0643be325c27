package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
)

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state dir?#%", "nested")
	// Open itself, not openTestDB: this folder and its database are new.
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { db.Close() })
	if want := filepath.Join(dir, FileName); db.Path() != want {
		t.Errorf("Path() = %q, want %q", db.Path(), want)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&^0o750 != 0 || perm&0o700 != 0o700 {
		t.Errorf("storage folder mode = %v, want 0750 less the umask", perm)
	}
	if _, err := os.Stat(db.Path()); err != nil {
		t.Errorf("database file: %v", err)
	}
	ctx := context.Background()
	pragmas := []struct {
		name string
		want string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
		{"temp_store", "2"}, // MEMORY
		{"cache_size", "-65536"},
		{"wal_autocheckpoint", "65536"},
		{"user_version", strconv.Itoa(SchemaVersion)},
	}
	for _, p := range pragmas {
		t.Run(p.name, func(t *testing.T) {
			var got string
			if err := db.w.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != p.want {
				t.Errorf("PRAGMA %s = %q, want %q", p.name, got, p.want)
			}
		})
	}
	t.Run("readers are read-only", func(t *testing.T) {
		_, err := db.r.ExecContext(ctx, "INSERT INTO state (key, value, updated_at) VALUES ('x', x'', 0)")
		if err == nil {
			t.Error("insert through the read pool succeeded")
		}
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	db := openTestDB(t, dir)
	if _, err := db.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "schema version 99") {
		t.Fatalf("Open of a newer database: err = %v, want one naming schema version 99", err)
	}
}

func TestOpenUnwritableFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(file, "sub"), Options{}); err == nil {
		t.Fatal("Open below a regular file succeeded")
	}
}

// TestReopen checks that everything a DB stores survives Close and Open.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openTestDB(t, dir)
	for k := range 3 {
		mustCommit(t, db, numberedBatch("s", k, 100))
	}
	if err := db.PutState(ctx, "alerts", []byte("state")); err != nil {
		t.Fatal(err)
	}
	totals, _ := db.Totals(ctx)
	days, _ := db.Days(ctx)
	recent, _ := db.Recent(ctx, 50)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openTestDB(t, dir)
	if n := count(t, db); n != 300 {
		t.Errorf("IncidentCount after reopen = %d, want 300", n)
	}
	cur, err := db.Cursors(ctx, "s")
	if err != nil || len(cur) != 3 || cur["doc-2"] != "v-2" {
		t.Errorf("Cursors after reopen = %v, %v; want doc-0..doc-2", cur, err)
	}
	if got, _ := db.Totals(ctx); len(got) != 1 || len(totals) != 1 || got[0] != totals[0] || got[0].Count != 300 {
		t.Errorf("Totals after reopen = %+v, want %+v with count 300", got, totals)
	}
	if got, _ := db.Days(ctx); !slices.Equal(got, days) || len(got) == 0 {
		t.Errorf("Days after reopen = %v, want %v", got, days)
	}
	if got, _ := db.Recent(ctx, 50); !slices.EqualFunc(got, recent, sameViolation) || len(got) != 50 {
		t.Errorf("Recent after reopen differs: %d violations, want %d", len(got), len(recent))
	}
	if v, ok, err := db.GetState(ctx, "alerts"); err != nil || !ok || string(v) != "state" {
		t.Errorf("GetState after reopen = %q, %v, %v", v, ok, err)
	}
	res := mustCommit(t, db, numberedBatch("s", 1, 100))
	if res.New != 0 || res.Duplicate != 100 || len(res.Violations) != 0 {
		t.Errorf("recommit after reopen = %+v, want 100 duplicates", res)
	}
}

// TestCancelDuringCommit cancels large commits at varying moments: each must
// be stored wholly (the cancel came too late) or not at all.
func TestCancelDuringCommit(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	size := 20000
	if testenv.Race {
		size = 2000
	}
	var cancelled, stored int
	// The last delay never expires: that commit must be stored.
	for k, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond, time.Hour} {
		ctx, cancel := context.WithTimeout(context.Background(), delay)
		before := count(t, db)
		_, err := db.Commit(ctx, numberedBatch("s", k, size))
		cancel()
		after := count(t, db)
		cur, _ := db.Cursors(context.Background(), "s")
		_, hasCursor := cur[numberedBatch("s", k, 0).CursorKey]
		switch {
		case err == nil && after == before+int64(size) && hasCursor:
			stored++
		case errors.Is(err, context.DeadlineExceeded) && after == before && !hasCursor:
			cancelled++
		default:
			t.Errorf("delay %v: err = %v, incidents %d → %d, cursor stored %v; want all or nothing", delay, err, before, after, hasCursor)
		}
	}
	if cancelled == 0 || stored == 0 {
		t.Errorf("%d commits cancelled and %d stored; want some of each", cancelled, stored)
	}
}

func TestSince(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t, t.TempDir())
	early := incident("s", "early", 30*time.Minute)
	a := incident("s", "a", time.Hour)
	amb := incident("s", "amb", 2*time.Hour)
	c := incident("s", "c", 3*time.Hour)
	ambItem := item(amb, "Z")
	ambItem.Violations[0].Placement = monitor.Ambiguous
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{
		item(c, "Z", "Y"), ambItem, item(a, "Z"), item(early, "Z"),
	}, Tiers: []monitor.TierUpdate{{Trial: "t", IncidentID: "c", Tier: "corroborated"}}})
	since := t0.Add(45 * time.Minute)
	got, err := db.Since(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first, ties by zone; the ambiguous one and the one at or
	// before since are left out.
	want := []string{"t/Y/s/c", "t/Z/s/c", "t/Z/s/a"}
	if ids := violationIDs(got); !slices.Equal(ids, want) {
		t.Fatalf("Since = %q, want %q", ids, want)
	}
	if got[0].Tier != "corroborated" || got[1].Tier != "corroborated" || got[2].Tier != "single" {
		t.Errorf("Since tiers = %q %q %q, want c's corroborated, a's single", got[0].Tier, got[1].Tier, got[2].Tier)
	}
	if !got[2].OccurredAt.Equal(a.OccurredAt) || got[2].Lon != a.Lon || got[2].Placement != monitor.Inside {
		t.Errorf("Since()[2] = %+v, want the stored violation of %q", got[2], a.ID)
	}
	if got, err := db.Since(ctx, a.OccurredAt); err != nil || len(got) != 2 {
		t.Errorf("Since(a's time) = %d violations, %v; want c's 2 (a is not after it)", len(got), err)
	}
	// A withdrawn incident's violations no longer stand.
	mustCommit(t, db, &monitor.Batch{Source: "s", Deleted: []string{"c"}})
	got, err = db.Since(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	if ids := violationIDs(got); !slices.Equal(ids, []string{"t/Z/s/a"}) {
		t.Errorf("after deleting c, Since = %q, want [t/Z/s/a]", ids)
	}
}
