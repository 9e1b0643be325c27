package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

const twoReports = "id,time,lat,lon,category\nin1,2026-12-02T10:00:00Z,48,38,shelling\nin2,2026-12-03T10:00:00Z,48.5,38.5,shelling\n"

// TestBundleKeepsEditedZoneFile: a zone file edited on disk after the
// incidents were judged still reaches the bundle as it was then.
func TestBundleKeepsEditedZoneFile(t *testing.T) {
	e := newEvidenceEnv(t)
	zones := filepath.Join(e.dir, "zones.geojson")
	judged, err := os.ReadFile(zones)
	if err != nil {
		t.Fatal(err)
	}
	e.replay(t, "reports", "r.csv", twoReports)
	write(t, zones, strings.Replace(string(judged), "[37,47]", "[36,47]", 2))

	bundle := e.export(t, "bundle")
	if code, stderr := e.verify(t, bundle); code != 0 {
		t.Fatalf("bundle: exit %d:\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(bundle, evidence.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Versions []struct{ File string } }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := "files/" + evidence.Sum(judged).String() + ".geojson"
	found := false
	for _, v := range m.Versions {
		found = found || v.File == want
	}
	if !found {
		t.Fatalf("the bundle's versions %+v lack the zone file judged under, %s", m.Versions, want)
	}
	got, err := os.ReadFile(filepath.Join(bundle, want))
	if err != nil || string(got) != string(judged) {
		t.Errorf("the bundle's zone file is not the one judged under (%v)", err)
	}
}

// TestEvidenceAudit: the audit accepts the stored log as written and
// fails on an incident row changed in the store.
func TestEvidenceAudit(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	e := newEvidenceEnv(t)
	e.replay(t, "reports", "r.csv", twoReports)
	audit := func() (string, string, int) {
		return runCmd(t, "evidence", "audit", "--list", "--config.file="+e.cfg, "--storage.path="+e.data)
	}
	stdout, stderr, code := audit()
	if code != 0 {
		t.Fatalf("audit of the log as written: exit %d:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	summary := lines[len(lines)-1]
	// The config and zone versions, the document, two incidents, two violations.
	if len(lines) != 8 || !strings.Contains(summary, "evidence log of 7 leaves verifies") ||
		!strings.Contains(summary, "incident 2 violation 2") {
		t.Fatalf("audit listing:\n%s", stdout)
	}
	in1 := 0
	for _, l := range lines[:len(lines)-1] {
		if f := strings.Split(l, "\t"); len(f) != 4 {
			t.Errorf("leaf line %q, want index, kind, hash and quoted encoding", l)
		} else if f[1] == "incident" && strings.Contains(f[3], `\nid 3:in1\n`) {
			in1++
		}
	}
	if in1 != 1 {
		t.Errorf("%d leaf lines of incident in1, want 1:\n%s", in1, stdout)
	}

	db, err := sql.Open("sqlite", filepath.Join(e.data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The incident's leaf is rebuilt from its row: a changed row is a
	// changed leaf.
	if _, err := db.Exec(`UPDATE incidents SET lat = 48.25 WHERE id = 'in1'`); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := audit(); code == 0 || !strings.Contains(stderr, "leaf") {
		t.Errorf("audit of a log with a rewritten incident: exit %d, want a failure naming the leaf:\n%s", code, stderr)
	}
}
