package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// writeCrashConfig lays out a config over the demo zones with one CSV source
// whose spool holds files rows in all, and returns the config path.
func writeCrashConfig(t *testing.T, dir string, files, rowsPerFile int) string {
	t.Helper()
	zones, err := filepath.Abs("../../configs/demo/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	spool := filepath.Join(dir, "spool")
	if err := os.MkdirAll(spool, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cats := []string{"shelling", "air_strike", "armed_clash", "thermal_anomaly"}
	for f := 0; f < files; f++ {
		fh, err := os.Create(filepath.Join(spool, fmt.Sprintf("part-%02d.csv", f)))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(fh)
		fmt.Fprintln(w, "id,time,lat,lon,category")
		for i := 0; i < rowsPerFile; i++ {
			ts := start.Add(time.Duration(rng.IntN(40*24*3600)) * time.Second)
			fmt.Fprintf(w, "r%02d-%07d,%s,%.5f,%.5f,%s\n", f, i, ts.Format(time.RFC3339),
				46.8+rng.Float64()*2.4, 36.6+rng.Float64()*2.6, cats[rng.IntN(len(cats))])
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
	cfg := fmt.Sprintf(`zones:
  - file: %s
    id_property: sector_id
trials:
  - name: crash-trial
    zones: ["*"]
    start: 2026-01-05T00:00:00Z
    days: 30
    prohibited: [shelling, air_strike, armed_clash]
sources:
  - name: spool
    format: csv
    path: spool/*.csv
    schedule: "@every 1s"
    csv: {id: id, lat: lat, lon: lon, time: time, category: category}
`, zones)
	path := filepath.Join(dir, "ceasefired.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedState is what the crash test compares between runs.
type storedState struct {
	incidents  int64
	totals     string
	violations map[string]float64 // ceasefire_violations_total series
	// leaves counts the evidence log's leaves by kind, config and zone
	// versions aside (they are logged at every start); logged holds the
	// incident and violation leaves and the documents by source, digest
	// and cursor, each once.
	leaves map[evidence.Kind]int
	logged map[string]bool
}

func readState(t *testing.T, cfg, storage string, samples map[string]float64) storedState {
	t.Helper()
	var st storedState
	st.leaves, st.logged = readLog(t, cfg, storage)
	db, err := store.Open(storage, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	n, err := db.IncidentCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	totals, err := db.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, v := range totals {
		fmt.Fprintf(&sb, "%s/%s/%s=%d last %s\n", v.Trial, v.ZoneID, v.Category, v.Count, v.Last.Format(time.RFC3339))
	}
	vs := map[string]float64{}
	for k, v := range samples {
		if strings.HasPrefix(k, "ceasefire_violations_total{") {
			vs[k] = v
		}
	}
	st.incidents, st.totals, st.violations = n, sb.String(), vs
	return st
}

// readLog audits the evidence log of the stopped daemon's store with the
// evidence audit command and reads its listing for storedState, failing
// the test on a leaf logged twice. The command, unlike this test, is
// built without the race detector, under which reading the store is
// twenty times slower.
func readLog(t *testing.T, cfg, storage string) (map[evidence.Kind]int, map[string]bool) {
	t.Helper()
	cmd := exec.Command(binary, "evidence", "audit", "--list", "--config.file="+cfg, "--storage.path="+storage)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kinds, logged := map[evidence.Kind]int{}, map[string]bool{}
	var summary string
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		// INDEX \t KIND \t LEAF_HASH \t QUOTED_ENCODING; the summary line has no tab.
		index, rest, ok := bytes.Cut(sc.Bytes(), []byte{'\t'})
		kind, rest, _ := bytes.Cut(rest, []byte{'\t'})
		hash, encoding, _ := bytes.Cut(rest, []byte{'\t'})
		if !ok {
			summary = sc.Text()
			continue
		}
		var key string
		switch evidence.Kind(kind) {
		case evidence.KindVersion: // logged at every start
			continue
		case evidence.KindDocument: // fetched at another time in each run
			key = documentKey(t, string(encoding))
		default:
			key = string(hash)
		}
		if logged[key] {
			t.Errorf("leaf %s (%s) logged twice", index, kind)
		}
		logged[key] = true
		kinds[evidence.Kind(kind)]++
	}
	if err := cmd.Wait(); err != nil || sc.Err() != nil {
		t.Fatalf("evidence audit: %v %v\n%s", err, sc.Err(), stderr.Bytes())
	}
	if !strings.Contains(summary, "verifies") || !strings.Contains(summary, "the latest checkpoint, of") {
		t.Errorf("evidence audit found no signed checkpoint matching the log: %s", summary)
	}
	return kinds, logged
}

// documentKey is the key of a document leaf, given quoted, without the
// time it was fetched.
func documentKey(t *testing.T, quoted string) string {
	t.Helper()
	data, err := strconv.Unquote(quoted)
	if err != nil {
		t.Fatal(err)
	}
	l, err := evidence.Decode([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	d := l.(evidence.Document)
	return fmt.Sprintf("document %s %v %s", d.Source, d.SHA256, d.Cursor)
}

const lastSuccess = `ceasefire_source_last_success_timestamp_seconds{source="spool"}`

// runToCompletion starts the daemon, waits for one complete fetch of the
// spool, and returns the metrics then; the daemon is stopped.
func runToCompletion(t *testing.T, cfg, storage string) map[string]float64 {
	t.Helper()
	p := startDaemon(t, cfg, storage)
	s := p.settledMetrics(t, 3*time.Minute, "a complete fetch", func(s map[string]float64) bool {
		return s[lastSuccess] > 0
	})
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("daemon exit: %v\n%s", err, p.stderr)
	}
	return s
}

// TestKillDuringIngest SIGKILLs the daemon in the middle of a large ingest,
// restarts it, and checks that stored incidents, violations and the
// violation counters equal those of a clean single run.
func TestKillDuringIngest(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	if testing.Short() {
		t.Skip("large ingest")
	}
	dir := t.TempDir()
	rows := 20000
	if testenv.Race {
		// The daemons run without the detector, which finds nothing in
		// them; CI kills them at full size without it (.ci/run).
		rows = 8000
	}
	cfg := writeCrashConfig(t, dir, 4, rows)

	// The clean run and the crashed one use separate stores: they run side
	// by side.
	var want, got storedState
	t.Run("runs", func(t *testing.T) {
		t.Run("clean", func(t *testing.T) {
			t.Parallel()
			clean := filepath.Join(dir, "clean")
			want = readState(t, cfg, clean, runToCompletion(t, cfg, clean))
		})
		t.Run("crashed", func(t *testing.T) {
			t.Parallel()
			crashed := filepath.Join(dir, "crashed")
			killDuringIngest(t, cfg, crashed, 3)
			got = readState(t, cfg, crashed, runToCompletion(t, cfg, crashed))
		})
	})
	if t.Failed() {
		return
	}
	if want.incidents != int64(4*rows) || len(want.violations) == 0 {
		t.Fatalf("clean run stored %d incidents, %d violation series", want.incidents, len(want.violations))
	}
	if got.incidents != want.incidents {
		t.Errorf("incidents after crashes %d, clean run %d", got.incidents, want.incidents)
	}
	if got.totals != want.totals {
		t.Errorf("stored violation totals differ:\ncrashed:\n%s\nclean:\n%s", got.totals, want.totals)
	}
	if !reflect.DeepEqual(got.violations, want.violations) {
		t.Errorf("ceasefire_violations_total differs:\ncrashed %v\nclean   %v", got.violations, want.violations)
	}
	if !reflect.DeepEqual(got.leaves, want.leaves) || !reflect.DeepEqual(got.logged, want.logged) {
		t.Errorf("evidence logs differ: leaves by kind after crashes %v, clean run %v", got.leaves, want.leaves)
	}
	if want.leaves[evidence.KindIncident] != int(want.incidents) || want.leaves[evidence.KindDocument] != 4 {
		t.Errorf("clean run logged %v, want one incident leaf per incident (%d) and 4 documents", want.leaves, want.incidents)
	}
}

// killDuringIngest starts the daemon on storage kills times, each time
// killing it without warning a random moment after its ingest started.
func killDuringIngest(t *testing.T, cfg, storage string, kills int) {
	t.Helper()
	for kill := 0; kill < kills; kill++ {
		p := startDaemon(t, cfg, storage)
		var s map[string]float64
		waitFor(t, time.Minute, "ingest under way", func() bool {
			s = p.metrics(t)
			return s[`ceasefire_incidents_ingested_total{source="spool"}`] > 0 || s[lastSuccess] > 0
		})
		if s[lastSuccess] > 0 {
			t.Logf("kill %d: ingest finished before the kill", kill)
		}
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}
