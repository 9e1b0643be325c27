package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
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

// TestMultiRowPreparedWhenNeeded: a new store prepares no multi-row insert;
// the first commit that needs a size prepares it for its transaction, the
// next write makes it the writer's, and both commits store the same.
func TestMultiRowPreparedWhenNeeded(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	prepared := func(kind string, rows int) bool {
		db.stmts.mu.Lock()
		defer db.stmts.mu.Unlock()
		_, ok := db.stmts.m[stmtKey{kind, rows}]
		return ok
	}
	for _, m := range multiRow {
		for n := 1; n <= chunkRows; n *= 2 {
			if prepared(m.kind, n) {
				t.Errorf("%s of %d rows prepared at open", m.kind, n)
			}
		}
	}
	first := mustCommit(t, db, numberedBatch("s", 0, chunkRows+3))
	if prepared("incidents", chunkRows) || !db.stmts.missed[stmtKey{"incidents", chunkRows}] {
		t.Error("the first commit's sizes are not noted as missed, or are the writer's already")
	}
	second := mustCommit(t, db, numberedBatch("s", 1, chunkRows+3))
	for _, n := range []int{chunkRows, 2, 1} {
		if !prepared("incidents", n) {
			t.Errorf("incidents of %d rows not the writer's after the second commit", n)
		}
	}
	if first.New != chunkRows+3 || second.New != chunkRows+3 || len(first.Violations) != len(second.Violations) {
		t.Errorf("commits stored %d and %d incidents, %d and %d violations; want %d each and the same violations",
			first.New, second.New, len(first.Violations), len(second.Violations), chunkRows+3)
	}
	if n := count(t, db); n != 2*(chunkRows+3) {
		t.Errorf("%d incidents stored, want %d", n, 2*(chunkRows+3))
	}
}

// TestConcurrentCommitsPrepare: commits of new sizes from several
// goroutines at once, some preparing what others missed while a
// transaction is open, all finish and store every incident.
func TestConcurrentCommitsPrepare(t *testing.T) {
	db := openTestDB(t, t.TempDir())
	const workers, rounds = 4, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				// Sizes whose chunks differ from round to round.
				n := 1 + (w*rounds+r)*37%300
				b := numberedBatch(fmt.Sprintf("s%d", w), r, n)
				if _, err := db.Commit(context.Background(), b); err != nil {
					errs <- err
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("concurrent commits did not finish: deadlocked")
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := 0
	for w := range workers {
		for r := range rounds {
			want += 1 + (w*rounds+r)*37%300
		}
	}
	var got int
	if err := db.r.QueryRow("SELECT count(*) FROM incidents").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%d incidents stored, want %d", got, want)
	}
}
