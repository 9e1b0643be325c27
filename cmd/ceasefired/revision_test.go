package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRevisionRetracts: a report that comes again with the same id and new
// content replaces the stored one; the violation it no longer supports is
// retracted, counted, and its alert resolves at the webhook.
func TestRevisionRetracts(t *testing.T) {
	t.Parallel() // waits on real processes or reads large files; runs beside the other slow tests
	hook := newWebhookSink(t)
	am := newAlertmanager(t, hook.srv.URL)
	am.start()
	s := newAlertSetup(t, "6h", am.url())
	// The spool source reads JSON lines instead of CSV.
	cfg := strings.NewReplacer("format: csv", "format: jsonl", "path: spool/*.csv", "path: spool/*.jsonl",
		"    csv: {id: id, lat: lat, lon: lon, time: time, category: category}\n", "").Replace(string(mustRead(t, s.cfg)))
	if err := os.WriteFile(s.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startDaemon(t, s.cfg, s.storage)

	at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
	write := func(lat, lon float64) {
		body := fmt.Sprintf(`{"id":"r1","time":%q,"lat":%v,"lon":%v,"category":"shelling"}`+"\n", at, lat, lon)
		tmp := filepath.Join(s.dir, "spool", "r.part")
		if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(s.dir, "spool", "reports.jsonl")); err != nil {
			t.Fatal(err)
		}
	}
	const north = `{category="shelling",trial="t1",zone_id="north"}`
	write(48.61, 37.25) // in the north sector
	waitFor(t, 5*time.Second, "the alert firing", func() bool { return firingNorth(hook) > 0 })

	write(46.0, 30.0) // corrected: far outside every sector
	waitFor(t, 10*time.Second, "the retraction", func() bool {
		return p.metrics(t)["ceasefire_violations_retracted_total"+north] == 1
	})
	m := p.metrics(t)
	for series, want := range map[string]float64{
		"ceasefire_violations_total" + north:                                 1, // ever stored: counters never go down
		`ceasefire_incidents_revised_total{source="spool"}`:                  1,
		`ceasefire_incidents_ingested_total{source="spool"}`:                 1,
		`ceasefire_trial_violation_free_seconds{trial="t1",zone_id="north"}`: 86400,
	} {
		if m[series] != want {
			t.Errorf("%s = %v, want %v", series, m[series], want)
		}
	}
	waitFor(t, 10*time.Second, "the resolved notification", func() bool {
		return hook.count("resolved", "zone_id", "north") > 0
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
