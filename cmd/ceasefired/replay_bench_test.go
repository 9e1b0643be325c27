package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// BenchmarkReplayDryRun runs `replay --dry-run` in process over the FIRMS
// yearly benchmark set against the Minregion oblasts, every row a
// violation, its JSON lines discarded: the pipeline end to end, for
// profiles (-cpuprofile). It reports rows/s.
func BenchmarkReplayDryRun(b *testing.B) {
	dir := testenv.SharedData(b, "incidents/firms_ukr_latlon_yearly")
	testenv.SharedData(b, "zones/ua_oblasts_minregion_2020.geojson")
	files, err := filepath.Glob(filepath.Join(dir, "*.csv.gz"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no FIRMS files in %s: %v", dir, err)
	}
	o := replayOptions{configFile: "testdata/minregion_all.yml", dryRun: true, files: files}
	var rows int
	for b.Loop() {
		var summary strings.Builder
		if code := runReplay(o, io.Discard, &summary); code != 0 {
			b.Fatalf("replay exit %d:\n%s", code, summary.String())
		}
		rows = 1263651
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
