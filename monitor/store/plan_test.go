package store

import (
	"strings"
	"testing"
)

// TestJudgingQueriesUseIncidentIndex: the statements that look violations
// up by incident must search violations_by_incident. The primary key's
// prefix (trial) matches too, and SQLite may pick it, which scans every
// violation of the trial per statement: a rebuild of 134,000 tiers took
// more than ten minutes that way, 3 s with the index.
func TestJudgingQueriesUseIncidentIndex(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	for _, tc := range []struct {
		q    string
		args []any
	}{
		{tierUpdateSQL, []any{"corroborated", "t", "s", "i"}},
		{locatedSQL, []any{"t", 0, 1}},
	} {
		q := tc.q
		rows, err := db.r.Query("EXPLAIN QUERY PLAN "+q, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var plan strings.Builder
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail + "\n")
		}
		rows.Close()
		if strings.Contains(plan.String(), "sqlite_autoindex_violations_1") || !strings.Contains(plan.String(), "violations_by_incident") {
			t.Errorf("plan of %q:\n%s", q, plan.String())
		}
	}
}
