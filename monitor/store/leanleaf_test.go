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
	ctx := context.Background()
	db := openTestDB(t, t.TempDir())
	mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{
		{Incident: incident("s", "a", 0)}, {Incident: incident("s", "b", 1)}}})
	log := db.Evidence(ctx)
	head, err := evidence.Head(log)
	if err != nil {
		t.Fatal(err)
	}
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
