package store

import (
	"strings"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"none shared", placeholders(2, 3, 0), "(?,?,?),(?,?,?)"},
		{"two shared", placeholders(2, 4, 2), "(?1,?2,?,?),(?1,?2,?,?)"},
		{"leaves", leafInsert(3), "INSERT INTO evidence_leaves (idx, kind, data, hashes, ref) VALUES " +
			"(?,?,?,?,?),(NULL,?,?,?,?),(NULL,?,?,?,?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// TestSharedParameters: the multi-row inserts bind their shared columns
// once; SQLite numbers the statement's parameters so that the arguments
// Commit passes, shared first, line up.
func TestSharedParameters(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	for _, tc := range []struct {
		name string
		q    string
		want int
	}{
		{"incidents", incidentInsert(4), incidentShared + 4*(incidentCols-incidentShared)},
		{"violations", violationInsert(4), violationShared + 4*(violationCols-violationShared)},
		{"leaves", leafInsert(4), 1 + 4*leafCols},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := db.w.Prepare(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// Rows of nothing but NULL break constraints, but after binding.
			_, err = st.Exec(make([]any, tc.want)...)
			if err == nil || strings.Contains(err.Error(), "missing") {
				t.Errorf("Exec with %d arguments: %v, want a constraint broken", tc.want, err)
			}
			_, err = st.Exec(make([]any, tc.want-1)...)
			if err == nil || !strings.Contains(err.Error(), "missing") {
				t.Errorf("Exec with %d arguments: %v, want one missing", tc.want-1, err)
			}
		})
	}
}
