package daemon

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// squareZones is a zone file of zone "north" as the square of side 0.1°
// whose south-west corner is (lon, lat).
func squareZones(lon, lat float64) string {
	return fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"sector_id":"north"},
"geometry":{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}}]}`,
		lon, lat, lon+0.1, lat+0.1)
}

// pushAt posts one field report of shelling at (lon, lat) and time at,
// which must be accepted.
func pushAt(t *testing.T, base, id string, lon, lat float64, at time.Time) {
	t.Helper()
	if code, body := pushPoint(t, base, id, lon, lat, at); code != 202 {
		t.Fatalf("push %s: %d %s", id, code, body)
	}
}

// TestZoneVersionsLive: zone north moves east in the middle of the trial.
// Reports from before the move are judged against the old line, reports
// from after it against the new, each violation recording the digest of
// the zone file it was judged under; a reload with the new file changed
// in place logs the new version and judges reports of later times against
// it, while late reports of earlier times are still judged against the
// lines in force then.
func TestZoneVersionsLive(t *testing.T) {
	// The runner rejects reports later than the wall clock: every time
	// here is in the past.
	start := time.Now().UTC().Truncate(time.Hour).Add(-6 * time.Hour)
	moved := start.Add(-12 * time.Hour)
	dir := t.TempDir()
	write := func(name, body string) [32]byte {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256([]byte(body))
	}
	oldSum := write("old.geojson", squareZones(37.2, 48.55))
	newSum := write("new.geojson", squareZones(38.2, 48.55))
	write("field.token", pushToken)
	write("ceasefired.yml", fmt.Sprintf(`zones:
  - file: old.geojson
    id_property: sector_id
  - file: new.geojson
    id_property: sector_id
    effective_from: %s
trials:
  - name: t1
    zones: [north]
    start: %s
    prohibited: [shelling]
sources:
  - name: field
    format: push
    push: {token_file: field.token}
`, moved.Format(time.RFC3339), start.Add(-24*time.Hour).Format(time.RFC3339)))
	e := &testEnv{dir: dir, cfg: filepath.Join(dir, "ceasefired.yml"), clock: newClock(start), logs: &logBuffer{}}
	var addr atomic.Pointer[string]
	d := startDaemon(t, e.options(&addr))
	base := *addr.Load()

	const oldLon, newLon, newestLon, lat = 37.25, 38.25, 39.25, 48.6
	pushAt(t, base, "old-before", oldLon, lat, moved.Add(-time.Hour))
	pushAt(t, base, "new-before", newLon, lat, moved.Add(-time.Hour))
	pushAt(t, base, "old-after", oldLon, lat, moved.Add(time.Hour))
	pushAt(t, base, "new-after", newLon, lat, moved.Add(time.Hour))
	want := map[string][32]byte{"old-before": oldSum, "new-after": newSum}
	checkZoneVersions(t, d, want)
	if !strings.Contains(e.logs.String(), "new zone version") {
		t.Error("no zone version logged at start")
	}

	// An hour on, the new line is redrawn in place further east and
	// reloaded: the redrawn line applies from the reload on, never before.
	reloaded := start.Add(time.Hour)
	e.clock.Set(reloaded)
	newestSum := write("new.geojson", squareZones(39.2, 48.55))
	if err := d.Reload(); err != nil {
		t.Fatal(err)
	}
	if logs := e.logs.String(); !strings.Contains(logs, evidence.Digest(newestSum).String()) {
		t.Errorf("the changed zone file's version %v is not logged:\n%s", evidence.Digest(newestSum), logs)
	}
	e.clock.Set(reloaded.Add(time.Hour))
	pushAt(t, base, "newest-after-reload", newestLon, lat, reloaded.Add(30*time.Minute))
	pushAt(t, base, "new-after-reload", newLon, lat, reloaded.Add(30*time.Minute))
	pushAt(t, base, "new-before-reload-late", newLon, lat, reloaded.Add(-30*time.Minute))
	pushAt(t, base, "newest-before-reload-late", newestLon, lat, reloaded.Add(-30*time.Minute))
	pushAt(t, base, "old-before-late", oldLon, lat, moved.Add(-2*time.Hour))
	want["newest-after-reload"], want["new-before-reload-late"], want["old-before-late"] = newestSum, newSum, oldSum
	checkZoneVersions(t, d, want)

	// After a restart the edit history holds: the line redrawn in place
	// still applies from the reload only.
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	d = startDaemon(t, e.options(&addr))
	base = *addr.Load()
	pushAt(t, base, "new-before-reload-restarted", newLon, lat, reloaded.Add(-20*time.Minute))
	pushAt(t, base, "newest-after-reload-restarted", newestLon, lat, reloaded.Add(40*time.Minute))
	pushAt(t, base, "new-after-reload-restarted", newLon, lat, reloaded.Add(40*time.Minute))
	want["new-before-reload-restarted"], want["newest-after-reload-restarted"] = newSum, newestSum
	checkZoneVersions(t, d, want)

	zoneLeaves := map[evidence.Digest]bool{}
	for _, l := range evidenceLeaves(t, d) {
		if v, ok := l.(evidence.Version); ok && v.FileKind == "zone" {
			zoneLeaves[v.SHA256] = true
		}
	}
	for _, sum := range []evidence.Digest{oldSum, newSum, newestSum} {
		if !zoneLeaves[sum] {
			t.Errorf("no version leaf of zone file version %v", sum)
		}
	}
}

// checkZoneVersions waits for the violations of trial t1 to be the
// incidents of want, then checks that each was stored and logged with the
// zone version want gives it.
func checkZoneVersions(t *testing.T, d *Daemon, want map[string][32]byte) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Second)
	vs, err := d.store.TrialViolations(ctx, "t1")
	for err == nil && len(vs) < len(want) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		vs, err = d.store.TrialViolations(ctx, "t1")
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(want) {
		var ids []string
		for _, v := range vs {
			ids = append(ids, v.IncidentID)
		}
		t.Errorf("violations by %v, want %d", ids, len(want))
	}
	for _, v := range vs {
		if sum, ok := want[v.IncidentID]; !ok || v.ZoneVersion != sum {
			t.Errorf("stored violation by %s judged under zone version %v, want %v", v.IncidentID, evidence.Digest(v.ZoneVersion), evidence.Digest(sum))
		}
	}
	logged := 0
	for _, l := range evidenceLeaves(t, d) {
		if v, ok := l.(evidence.Violation); ok {
			logged++
			if sum := want[v.IncidentID]; v.ZoneVersion != sum {
				t.Errorf("logged violation by %s judged under zone version %v, want %v", v.IncidentID, v.ZoneVersion, evidence.Digest(sum))
			}
		}
	}
	if logged != len(want) {
		t.Errorf("%d violations logged, want %d", logged, len(want))
	}
}

// evidenceLeaves returns the leaves of d's evidence log, decoded.
func evidenceLeaves(t *testing.T, d *Daemon) []evidence.Leaf {
	t.Helper()
	ctx := context.Background()
	head, err := evidence.Head(d.store.Evidence(ctx))
	if err != nil {
		t.Fatal(err)
	}
	data, err := d.store.Evidence(ctx).ReadLeaves(0, head.N)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]evidence.Leaf, len(data))
	for i, b := range data {
		if out[i], err = evidence.Decode(b); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
