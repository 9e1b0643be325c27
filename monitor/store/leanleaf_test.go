package store

import (
	"context"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// TestLeanLeafTampering: an incident leaf is rebuilt from its row, so a
// flipped byte of the row's raw record fails the audit naming that
// incident, and a deleted row makes the leaf unreadable, naming it.
func TestLeanLeafTampering(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{
		{Incident: incident("s", "a", 0)}, {Incident: incident("s", "b", 1)}}})
	log, head := logHead(t, db)
	if err := evidence.Audit(log, head); err != nil {
		t.Fatalf("audit of the untouched log: %v", err)
	}
	tamper := []struct {
		name, sql string
		leaf      int64
		want      string
		audit     bool // the audit fails, rather than the read
	}{
		{"flipped raw byte", "UPDATE incidents SET raw = 'X' || substr(raw, 2) WHERE id = 'a'", 0, `leaf 0 (incident "s"/"a")`, true},
		{"deleted row", "DELETE FROM incidents WHERE id = 'b'", 1, "leaf 1: its incident row", false},
	}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.w.Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			_, readErr := log.ReadLeaves(tc.leaf, 1)
			auditErr := evidence.Audit(log, head)
			err := readErr
			if tc.audit {
				err = auditErr
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("after tampering: read %v, audit %v; want an error with %q", readErr, auditErr, tc.want)
			}
		})
	}
}

// TestLargeBatchLeaves: a batch large enough to have its incident and
// violation leaves prepared during the inserts, holding new, duplicate and
// revised incidents with none, one or several violations (one repeated),
// logs the leaves the memory store logs, and they verify.
func TestLargeBatchLeaves(t *testing.T) {
	db, mem := openTestDB(t, t.TempDir()), NewMemory()
	first := numberedBatch("s", 0, aheadRows)
	second := numberedBatch("s", 1, aheadRows)
	stored := 1 // violations the second batch stores: one is the revision's
	for i := range second.Items {
		it := &second.Items[i]
		switch i % 3 {
		case 0:
			stored++
		case 1: // none
			it.Violations = nil
		case 2: // three, the first repeated
			it.Violations = append(it.Violations, violation(it.Incident, "u", "Y"), it.Violations[0])
			stored += 2
		}
	}
	second.Items = append(second.Items, first.Items[:aheadRows/2]...) // duplicates
	moved := first.Items[aheadRows-1]
	moved.Incident.Lon, moved.Incident.Raw = 38.5, moved.Incident.Raw+",moved"
	moved.Violations = append(moved.Violations, violation(moved.Incident, "u", "Y"))
	second.Items = append([]monitor.Item{moved}, second.Items...) // a revision, first in the batch
	var got monitor.CommitResult
	for _, b := range []*monitor.Batch{first, second} {
		want := mustCommit(t, mem, b)
		got = mustCommit(t, db, b)
		if got.New != want.New || got.Revised != want.Revised || got.Duplicate != want.Duplicate ||
			len(got.Violations) != len(want.Violations) {
			t.Fatalf("commit: %+v, memory store %+v", got, want)
		}
	}
	if len(got.Violations) != stored {
		t.Fatalf("second batch stored %d violations, want %d", len(got.Violations), stored)
	}
	sameLogs(t, db, mem)
}

// TestRevisedLeaves: every leaf of an incident revised several times reads
// back as the content it was written with, also when some revisions were
// stored with the log off.
func TestRevisedLeaves(t *testing.T) {
	for _, tc := range []struct {
		name   string
		logOff []bool // per revision
		want   int64  // leaves
	}{
		{"every revision logged", []bool{false, false, false}, 4},
		{"some revisions unlogged", []bool{true, true, false}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t, t.TempDir())
			a := incident("s", "a", 0)
			mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}})
			for k, off := range tc.logOff {
				a.Lon, a.Raw = a.Lon+1, a.Raw+",moved"
				db.logOff = off
				if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}}); res.Revised != 1 {
					t.Fatalf("revision %d: %+v", k, res)
				}
			}
			log, head := logHead(t, db)
			if head.N != tc.want {
				t.Errorf("%d leaves, want %d", head.N, tc.want)
			}
			if err := evidence.Audit(log, head); err != nil {
				t.Errorf("audit: %v", err)
			}
		})
	}
}

// TestLeanViolationLeaves: violation leaves are stored lean and read back
// as the memory store logs them, names of any bytes included, also after
// a revision moves one violation's zone version and retracts another, and
// after a violations row is deleted behind the store's back (its leaf was
// kept by the trigger; the export then shows the row missing).
func TestLeanViolationLeaves(t *testing.T) {
	ctx := context.Background()
	db, mem := openTestDB(t, t.TempDir()), NewMemory()
	a, b := incident("s", "a", 0), incident("s", "b", 1)
	first := monitor.Item{Incident: a, Violations: []monitor.Violation{
		violation(a, "t 1:\n", "Донецька область"), violation(a, "t 1:\n", "Z")}}
	second := item(b, "Z")
	revised := first
	revised.Incident.Raw += ",revised"
	revised.Violations = []monitor.Violation{first.Violations[0]}
	revised.Violations[0].ZoneVersion = evidence.Sum([]byte("zones, edited"))
	for _, batch := range []*monitor.Batch{
		{Source: "s", Items: []monitor.Item{first, second}},
		{Source: "s", Items: []monitor.Item{revised}},
	} {
		got, want := mustCommit(t, db, batch), mustCommit(t, mem, batch)
		if len(got.Violations) != len(want.Violations) || len(got.Retracted) != len(want.Retracted) {
			t.Fatalf("commit: %+v, memory store %+v", got, want)
		}
	}
	lean := leanLeaves(t, db)
	if n := len(lean); n != 7 || !lean[2] || !lean[3] || !lean[4] || lean[6] {
		t.Errorf("lean leaves %v, want the three violations (2, 3, 4) lean and the retraction (6) in full", lean)
	}
	if _, err := db.w.Exec("DELETE FROM violations WHERE rowid IN (SELECT id FROM violation_rows WHERE incident_id = 'b')"); err != nil {
		t.Fatal(err)
	}
	log, memLog := db.Evidence(ctx), mem.Evidence(ctx)
	head, err := evidence.Head(log)
	if err != nil {
		t.Fatal(err)
	}
	got, err := log.ReadLeaves(0, head.N)
	if err != nil {
		t.Fatal(err)
	}
	want, err := memLog.ReadLeaves(0, head.N)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if string(got[i]) != string(want[i]) {
			t.Errorf("leaf %d reads\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	if err := evidence.Audit(log, head); err != nil {
		t.Errorf("audit: %v", err)
	}
	if memHead, _ := evidence.Head(memLog); memHead != head {
		t.Errorf("log head %d %v, memory store's %d %v", head.N, head.Hash, memHead.N, memHead.Hash)
	}
}
