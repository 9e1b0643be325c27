package store

import (
	"slices"
	"strings"
	"testing"
)

// queryPlan returns the EXPLAIN QUERY PLAN lines of q, joined by "; ".
func queryPlan(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.r.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

// TestQueryPlans lists every query of the store on violations and
// incidents with what its plan must hold, and so the indexes each one
// needs. Queries of the live path (per incident, per commit, the recent
// violations of the web page and of alerting) search an index; those run
// when the daemon starts (Totals, Days) or for a report scan.
//
// The statements that look violations up by incident must search
// violations_by_incident: the primary key's prefix (trial) matches too,
// and SQLite may pick it, which scans every violation of the trial per
// statement (a rebuild of 134,000 tiers took more than ten minutes that
// way, 3 s with the index).
func TestQueryPlans(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	const (
		byIncident = "INDEX violations_by_incident (incident_ref=?)"
		byTrial    = "SEARCH v USING INDEX sqlite_autoindex_violations_1 (trial_ref=?)"
		byTime     = "SEARCH v USING INDEX violations_by_occurred_at (occurred_at>?)"
		fullSort   = "USE TEMP B-TREE FOR ORDER BY"
	)
	tests := []struct {
		name, query   string
		args          []any
		want, notWant string
	}{
		{"totals", totalsSQL, nil, "SCAN v", ""},
		{"retracted totals", retractedSQL, nil, "INDEX retracted_by_category", "TEMP B-TREE"},
		{"days", daysSQL, nil, "SCAN v", ""},
		{"recent", recentSQL, []any{10}, byTime, fullSort},
		{"since", sinceSQL, []any{10}, byTime, fullSort},
		{"tier update", tierUpdateSQL, []any{"corroborated", "t", "s", "i"}, byIncident, ""},
		{"located", locatedSQL, []any{"t", 0, 1}, "SEARCH v USING INDEX violations_by_incident", "autoindex_violations"},
		{"violations of", violationsOfSQL, []any{"t", "s", "i"}, byIncident, ""},
		{"standing", standingSQL, []any{1}, byIncident, ""},
		{"tier counts", tierCountsSQL, []any{"t"}, byTrial, ""},
		{"trial violations", trialViolationsSQL, []any{"t"}, byTrial, ""},
		{"trial tiers", trialTiersSQL, []any{"t"}, byTrial, ""},
		{"load incident", loadIncidentSQL, []any{"s", "i"},
			"SEARCH i USING INDEX sqlite_autoindex_incidents_1 (source_ref=? AND id=?)", "SCAN i"},
		{"same incidents", sameIncidentsSQL(3), []any{1, "a", "b", "c"},
			"SEARCH incidents USING INDEX sqlite_autoindex_incidents_1 (source_ref=? AND id=?)", "SCAN"},
		{"kept violation leaf", "SELECT data FROM violation_leaves WHERE id = ?", []any{1},
			"SEARCH v USING INTEGER PRIMARY KEY (rowid=?)", "SCAN"},
		{"evidence leaves", readLeavesSQL, []any{0, 10}, "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)", "SCAN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := queryPlan(t, db, tt.query, tt.args...)
			if !strings.Contains(plan, tt.want) || tt.notWant != "" && strings.Contains(plan, tt.notWant) {
				t.Errorf("plan %q, want %q without %q", plan, tt.want, tt.notWant)
			}
		})
	}
}

// TestViolationIndexes: the violations table has exactly the indexes the
// queries of TestQueryPlans need; each costs bytes per violation.
func TestViolationIndexes(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	rows, err := db.r.Query("SELECT name FROM pragma_index_list('violations') ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	want := []string{"sqlite_autoindex_violations_1", "violations_by_incident", "violations_by_occurred_at"}
	if !slices.Equal(got, want) {
		t.Errorf("indexes of violations %q, want %q", got, want)
	}
}
