package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"golang.org/x/mod/sumdb/tlog"
)

// versioned returns it with zone and config digests on its violations, so
// that their leaves are stored lean.
func versioned(it monitor.Item) monitor.Item {
	for i := range it.Violations {
		it.Violations[i].ZoneVersion = evidence.Sum([]byte("zones"))
		it.Violations[i].Config = evidence.Sum([]byte("config"))
	}
	return it
}

// faultyStore writes in dir, by the current code, a store with a batch
// that stores incident f with a violation and deletes f, then (if reuse)
// a batch whose violation takes the freed rowid; it then rewrites the
// log as versions before 12 wrote it: the violation leaf of f lean, a
// reference to its gone row, and the schema at version 11. It returns the
// index of that leaf and the log's head.
func faultyStore(t *testing.T, dir string, reuse bool) (int64, tlog.Tree) {
	t.Helper()
	db := openTestDB(t, dir)
	a, f, g := incident("s", "a", time.Hour), incident("s", "f", 2*time.Hour), incident("s", "g", 3*time.Hour)
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{versioned(item(a, "Z1"))}})
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{versioned(item(f, "Z8"))}, Deleted: []string{"f"}})
	if reuse {
		mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{versioned(item(g, "Z9"))}})
	}
	_, head := logHead(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var idx, rowid int64
	// The whole violation leaf of f, and the row the trigger kept it of.
	if err := raw.QueryRow(`SELECT e.idx, -k.ref FROM evidence_leaves e JOIN evidence_kept k ON k.data = e.data
WHERE e.kind = 'violation' AND e.ref IS NULL`).Scan(&idx, &rowid); err != nil {
		t.Fatalf("find the whole violation leaf: %v", err)
	}
	if _, err := raw.Exec(`UPDATE evidence_leaves SET data = x'', ref = ? WHERE idx = ?;`, -rowid, idx); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 11"); err != nil {
		t.Fatal(err)
	}
	return idx, head
}

// openLogged opens the store in dir and returns it with what it logged.
func openLogged(t *testing.T, dir string) (*DB, string) {
	t.Helper()
	var out bytes.Buffer
	db, err := Open(dir, Options{Logger: slog.New(slog.NewTextHandler(&out, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, out.String()
}

// TestRestoreLeaves: a log written with the fault that version 12
// restores fails its audit, with the row gone or taken by a later
// violation; after the migration it audits, ends at the head it had, and
// the restoration is logged.
func TestRestoreLeaves(t *testing.T) {
	for _, reuse := range []bool{false, true} {
		t.Run(fmt.Sprintf("rowid reused=%v", reuse), func(t *testing.T) {
			dir := t.TempDir()
			idx, head := faultyStore(t, dir, reuse)

			// What versions before 12 read of it.
			old, err := sql.Open("sqlite", filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			st := &sqlStorage{ctx: context.Background(), q: old}
			if err := evidence.Audit(st, head); err == nil {
				t.Fatal("the faulty log audits; the test no longer writes the fault")
			}
			old.Close()

			db, logged := openLogged(t, dir)
			if err := evidence.Audit(db.Evidence(context.Background()), head); err != nil {
				t.Errorf("audit after the migration: %v", err)
			}
			if !strings.Contains(logged, "restored evidence leaves") || !strings.Contains(logged, "leaves=1") {
				t.Errorf("the store logged\n%s\nwant the restoration of one leaf", logged)
			}
			var n int
			if err := db.r.QueryRow("SELECT COUNT(*) FROM evidence_kept WHERE until_leaf = ?", idx+1).Scan(&n); err != nil || n != 1 {
				t.Errorf("kept leaves for leaf %d: %d, %v; want 1", idx, n, err)
			}
		})
	}
}

// TestRestoreLeavesOnlyByHash: a broken leaf whose kept leaf does not hash
// as logged is not restored, and is reported; a restoration that would
// make another leaf read otherwise is not kept.
func TestRestoreLeavesOnlyByHash(t *testing.T) {
	t.Run("kept leaf changed", func(t *testing.T) {
		dir := t.TempDir()
		faultyStore(t, dir, true)
		raw, err := sql.Open("sqlite", filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec("UPDATE evidence_kept SET data = data || x'0a' WHERE ref < 0"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		db, logged := openLogged(t, dir)
		if !strings.Contains(logged, "could not be restored") || strings.Contains(logged, "restored evidence leaves") {
			t.Errorf("the store logged\n%s\nwant one leaf not restored", logged)
		}
		var n int
		if err := db.r.QueryRow("SELECT COUNT(*) FROM evidence_kept").Scan(&n); err != nil || n != 1 {
			t.Errorf("kept leaves %d, %v; want the one the trigger kept alone", n, err)
		}
	})
	t.Run("would cost another leaf", func(t *testing.T) {
		dir := t.TempDir()
		idx, _ := faultyStore(t, dir, true)
		raw, err := sql.Open("sqlite", filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		// The leaf before the broken one becomes another reference to the
		// freed rowid, logged with the hash of what that row holds now (the
		// later violation): it reads right before any restoration, and a
		// restoration for the broken leaf would apply to it too.
		var ref int64
		var now []byte
		if err := raw.QueryRow("SELECT ref FROM evidence_leaves WHERE idx = ?", idx).Scan(&ref); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow("SELECT data FROM violation_leaves WHERE id = ?", -ref).Scan(&now); err != nil {
			t.Fatal(err)
		}
		h := tlog.RecordHash(now)
		if _, err := raw.Exec("UPDATE evidence_leaves SET data = x'', ref = ?, hashes = ? || substr(hashes, 33) WHERE idx = ?",
			ref, h[:], idx-1); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		db, logged := openLogged(t, dir)
		if !strings.Contains(logged, "could not be restored") {
			t.Errorf("the store logged\n%s\nwant the leaf not restored", logged)
		}
		var n int
		if err := db.r.QueryRow("SELECT COUNT(*) FROM evidence_kept").Scan(&n); err != nil || n != 1 {
			t.Errorf("kept leaves %d, %v; want the one the trigger kept alone", n, err)
		}
		got, err := db.Evidence(context.Background()).ReadLeaves(idx-1, 1)
		if err != nil || !bytes.Equal(got[0], now) {
			t.Errorf("leaf %d reads %q, %v; want it as before", idx-1, got, err)
		}
	})
}
