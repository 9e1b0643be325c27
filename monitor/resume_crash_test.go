package monitor_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// resumeDirEnv names the folder TestResumeCrashHelper works in; without it
// the helper does nothing.
const resumeDirEnv = "CEASEFIRED_RESUME_CRASH_DIR"

// Size of the spooled file and of a batch in the kill test: 172 incidents
// in four commits, so four lives.
const crashRows, crashBatchSize = 200, 50

// printingStore prints one line per commit that was stored, then waits for
// a line on stdin, so that the kill that follows lands before the next
// batch however fast the machine.
type printingStore struct {
	monitor.Store
	in *bufio.Reader
}

func (p printingStore) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	res, err := p.Store.Commit(ctx, b)
	if err == nil {
		fmt.Printf("committed new=%d duplicate=%d\n", res.New, res.Duplicate)
		_, _ = p.in.ReadString('\n')
	}
	return res, err
}

// TestResumeCrashHelper is the child process of TestResumeAfterKills: it
// fetches the spooled file into the store until it is killed, printing a
// line per commit and "done" at the end.
func TestResumeCrashHelper(t *testing.T) {
	dir := os.Getenv(resumeDirEnv)
	if dir == "" {
		t.Skip("child process of TestResumeAfterKills")
	}
	db, err := store.Open(filepath.Join(dir, "state"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, _ := clockRunner(t, printingStore{db, bufio.NewReader(os.Stdin)}, newFakeClock(trialStart.Add(3*monitor.Day)), crashBatchSize)
	if err := r.Fetch(context.Background(), fileSource(t, filepath.Join(dir, "spool", "*.csv"))); err != nil {
		t.Fatal(err)
	}
	fmt.Println("done")
}

// TestResumeAfterKills kills a process ingesting one file with SIGKILL as
// soon as each life of it has stored a batch. Every life must store new
// incidents only, and the file must be stored whole and exactly after at
// most one life per batch.
func TestResumeAfterKills(t *testing.T) {
	t.Parallel() // waits on child processes; runs beside the other tests
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "spool"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spool", "big.csv"), []byte(spoolCSV(crashRows)), 0o644); err != nil {
		t.Fatal(err)
	}
	wantInc, _, wantViol := countRows(crashRows)
	maxLives := wantInc/crashBatchSize + 1 // commits of the file
	lives := 0
	for done := false; !done; {
		lives++
		if lives > maxLives {
			t.Fatalf("not done after %d lives, one per batch", maxLives)
		}
		lines := runOneLife(t, dir)
		done = storedWhole(t, dir)
		for _, l := range lines {
			if !strings.HasSuffix(l, " duplicate=0") {
				t.Errorf("life %d: %s: a stored batch was stored again", lives, l)
			}
		}
		t.Logf("life %d: %d commits, done %v", lives, len(lines), done)
	}
	db, err := store.Open(filepath.Join(dir, "state"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if n, _ := db.IncidentCount(ctx); n != int64(wantInc) {
		t.Errorf("%d incidents stored, want %d", n, wantInc)
	}
	if totals, _ := db.Totals(ctx); len(totals) != 1 || totals[0].Count != int64(wantViol) {
		t.Errorf("totals %+v, want %d violations", totals, wantViol)
	}
}

// storedWhole reports whether the store in dir holds the spooled file's own
// cursor, which goes with its last batch.
func storedWhole(t *testing.T, dir string) bool {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "state"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cur, err := db.Cursors(context.Background(), "spool")
	if err != nil {
		t.Fatal(err)
	}
	v := cur[filepath.Join(dir, "spool", "big.csv")]
	return v != "" && !strings.HasPrefix(v, "partial:")
}

// runOneLife starts TestResumeCrashHelper on dir and kills it once it has
// stored a batch. It returns the commit lines the child printed.
func runOneLife(t *testing.T, dir string) (commits []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResumeCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), resumeDirEnv+"="+dir)
	in, err := cmd.StdinPipe() // never written: the child waits after each commit
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	timeout := time.After(time.Minute)
	killed := false
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				return commits
			}
			if strings.HasPrefix(l, "committed ") {
				commits = append(commits, l)
				if !killed {
					_ = cmd.Process.Kill()
					killed = true
				}
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatal("child process stored nothing within a minute")
		}
	}
}
