package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// crashDirEnv names the storage folder TestCrashHelper writes to; without
// it TestCrashHelper does nothing.
const crashDirEnv = "CEASEFIRED_STORE_CRASH_DIR"

// crashBatch returns the number of incidents per batch in the crash test,
// large enough that a kill usually lands inside a transaction.
func crashBatch() int {
	if testenv.Race {
		return 500
	}
	return 4000
}

// TestCrashHelper is the child process of TestCrash: it commits numbered
// batches, each with its cursor, until it is killed, printing the number of
// every committed batch.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("child process of TestCrash")
	}
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := db.Cursors(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	for k := len(cur); ; k++ {
		b := numberedBatch("s", k, crashBatch())
		b.Fetched = &monitor.Fetched{SHA256: evidence.Sum([]byte(b.CursorKey)), FetchedAt: time.Unix(int64(k), 0), Cursor: b.CursorValue}
		mustCommit(t, db, b)
		fmt.Printf("committed %d\n", k)
	}
}

// TestCrash kills a process that is committing batches at random moments
// and checks after each kill that every batch is wholly stored (incidents,
// violations and cursor) or wholly absent.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, seed))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	var batches int
	var log logRounds
	rounds := 6
	if testenv.Race {
		// The detector cannot report from a child killed with SIGKILL, and
		// the checks here are one goroutine's: two rounds show the test
		// runs, and CI runs all six without it (see .ci/run).
		rounds = 2
	}
	for round := range rounds {
		delay := time.Duration(rng.Int64N(int64(300 * time.Millisecond)))
		runUntilKilled(t, dir, delay)
		n := checkWholeBatches(t, dir, &log, round == rounds-1)
		t.Logf("round %d: killed %v after the first commit; %d whole batches stored", round, delay, n)
		if n <= batches {
			t.Errorf("round %d: %d batches stored, want more than the %d before", round, n, batches)
		}
		batches = n
	}
}

// runUntilKilled starts TestCrashHelper on dir, waits for its first commit,
// then for delay, and kills it with SIGKILL.
func runUntilKilled(t *testing.T, dir string, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if !ok && strings.HasPrefix(sc.Text(), "committed ") {
				ok = true
				first <- true
			}
		}
		if !ok {
			first <- false
		}
	}()
	select {
	case ok := <-first:
		if !ok {
			_ = cmd.Wait()
			t.Fatal("child process ended without committing")
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatal("child process committed nothing within 10s")
	}
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // "signal: killed"
}

// checkWholeBatches opens the database in dir, checks its integrity and
// that batches 0…n-1 are stored wholly and nothing else, and its evidence
// log with checkWholeLog, and returns n.
func checkWholeBatches(t *testing.T, dir string, log *logRounds, last bool) int {
	t.Helper()
	db := openTestDB(t, dir)
	defer db.Close()
	ctx := context.Background()
	var integrity string
	if err := db.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}
	cur, err := db.Cursors(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	// Violations name their incident by rowid; their view shows the id.
	for _, rel := range [...]struct{ table, from, id string }{
		{"incidents", "incidents", "id"}, {"violations", "violation_rows", "incident_id"},
	} {
		table, from, id := rel.table, rel.from, rel.id
		q := fmt.Sprintf("SELECT CAST(substr(%[1]s, 1, instr(%[1]s, '-') - 1) AS INTEGER) AS k, COUNT(*) FROM %[2]s GROUP BY k", id, from)
		rows, err := db.r.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for rows.Next() {
			var k, n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			seen++
			if _, ok := cur["doc-"+strconv.Itoa(k)]; !ok || n != crashBatch() {
				t.Errorf("%s of batch %d: %d rows, cursor stored %v; want %d rows and the cursor", table, k, n, ok, crashBatch())
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if seen != len(cur) {
			t.Errorf("%s hold %d batches, but %d cursors are stored", table, seen, len(cur))
		}
	}
	for k := range len(cur) {
		if cur["doc-"+strconv.Itoa(k)] != "v-"+strconv.Itoa(k) {
			t.Errorf("cursor of batch %d = %q, want v-%d", k, cur["doc-"+strconv.Itoa(k)], k)
		}
	}
	checkWholeLog(t, db, len(cur), log, last)
	return len(cur)
}

// logRounds is what checkWholeLog keeps from one round to the next: the
// tree it checked and the leaves it has read, so that a round reads only
// the leaves added since (reading them is most of the check's cost, and
// the log grows every round).
type logRounds struct {
	tree  tlog.Tree
	kinds map[evidence.Kind]int
	seen  map[string]bool
}

// checkWholeLog checks that the evidence log holds exactly one leaf for
// each of the n whole batches' documents, incidents and violations, none
// twice, and that its stored hashes agree with its leaves. Each round it
// requires the tree of the round before to be a prefix of this one (a
// consistency proof) and checks the leaves added since against their
// stored hashes; in the last round it audits the whole log, recomputing
// the root from the leaves alone, so that every round's tree, a prefix of
// the last, is audited too.
func checkWholeLog(t *testing.T, db *DB, n int, prev *logRounds, last bool) {
	t.Helper()
	if prev.kinds == nil {
		prev.kinds, prev.seen = map[evidence.Kind]int{}, map[string]bool{}
	}
	log := db.Evidence(context.Background())
	head, err := evidence.Head(log)
	if err != nil {
		t.Fatal(err)
	}
	if head.N < prev.tree.N {
		t.Fatalf("the log shrank from %d leaves to %d", prev.tree.N, head.N)
	}
	proof, err := evidence.ProveExtension(log, head.N, prev.tree.N)
	if err != nil {
		t.Fatal(err)
	}
	if prev.tree.N > 0 {
		if err := tlog.CheckTree(proof, head.N, head.Hash, prev.tree.N, prev.tree.Hash); err != nil {
			t.Fatalf("the log of %d leaves does not extend the one of %d checked before: %v", head.N, prev.tree.N, err)
		}
	}
	visit := func(i int64, l []byte, _ tlog.Hash) error {
		if i < prev.tree.N {
			return nil // read in an earlier round
		}
		d, err := evidence.Decode(l)
		if err != nil {
			return fmt.Errorf("leaf %d: %w", i, err)
		}
		prev.kinds[d.Kind()]++
		if prev.seen[string(l)] {
			t.Errorf("leaf %d (%v) logged twice", i, d)
		}
		prev.seen[string(l)] = true
		return nil
	}
	if last {
		err = evidence.AuditEach(log, head, visit)
	} else {
		err = checkNewLeaves(log, prev.tree.N, head.N, visit)
	}
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	prev.tree = head
	want := map[evidence.Kind]int{evidence.KindDocument: n, evidence.KindIncident: n * crashBatch(), evidence.KindViolation: n * crashBatch()}
	if n == 0 {
		want = map[evidence.Kind]int{}
	}
	if fmt.Sprint(prev.kinds) != fmt.Sprint(want) {
		t.Errorf("log holds %v leaves by kind, want %v", prev.kinds, want)
	}
}

// checkNewLeaves checks the leaves from index from up to to against the
// leaf hashes stored for them and calls visit with each, as
// evidence.AuditEach does for the whole log.
func checkNewLeaves(log evidence.Storage, from, to int64, visit func(int64, []byte, tlog.Hash) error) error {
	if from == to {
		return nil
	}
	leaves, err := log.ReadLeaves(from, to-from)
	if err != nil {
		return err
	}
	indexes := make([]int64, len(leaves))
	for i := range indexes {
		indexes[i] = tlog.StoredHashIndex(0, from+int64(i))
	}
	stored, err := log.ReadHashes(indexes)
	if err != nil {
		return err
	}
	for i, l := range leaves {
		h := tlog.RecordHash(l)
		if h != stored[i] {
			return fmt.Errorf("leaf %d: encoding does not match the leaf hash stored", from+int64(i))
		}
		if err := visit(from+int64(i), l, h); err != nil {
			return err
		}
	}
	return nil
}
