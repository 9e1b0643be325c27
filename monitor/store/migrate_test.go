package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"golang.org/x/mod/sumdb/tlog"
)

// oldDB creates in dir a database at schema version, by the migrations
// released up to it, and returns it open.
func oldDB(t *testing.T, dir string, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for v := range version {
		if _, err := db.Exec(migrations[v]); err != nil {
			t.Fatalf("migration %d: %v", v+1, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		t.Fatal(err)
	}
	return db
}

// oldIncident stores inc in a database at schema version 7 or earlier,
// where incidents name their source and category in full.
func oldIncident(t *testing.T, old *sql.DB, inc monitor.Incident) {
	t.Helper()
	if _, err := old.Exec(`INSERT INTO incidents (source, id, occurred_at, lon, lat, uncertainty_m, category, confidence, raw, ingested_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, inc.Source, inc.ID, inc.OccurredAt.UnixNano(), inc.Lon, inc.Lat,
		inc.UncertaintyM, string(inc.Category), inc.Confidence, inc.Raw); err != nil {
		t.Fatal(err)
	}
}

// oldViolation stores v in a database at schema version 5 to 7, where
// violations name their trial, zone and the rest in full.
func oldViolation(t *testing.T, old *sql.DB, v monitor.Violation) {
	t.Helper()
	if _, err := old.Exec("INSERT INTO violations ("+violationColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		v.Trial, v.ZoneID, string(v.Category), v.Source, v.IncidentID, v.OccurredAt.UnixNano(), v.Lon, v.Lat,
		string(v.Placement), v.Day, v.ZoneVersion[:], v.Config[:]); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateLeanLeaves opens a database of schema version 4, whose
// evidence leaves all hold their data, and checks that it migrates, that
// its old leaves still read and verify, that new incident leaves are
// stored lean, and that a revision of an incident logged in full keeps
// the log verifiable.
func TestMigrateLeanLeaves(t *testing.T) {
	dir := t.TempDir()
	old := oldDB(t, dir, 4)
	a, b := incident("s", "a", 0), incident("s", "b", 1)
	var mem evidence.MemoryStorage
	if _, err := evidence.Append(&mem, incidentLeaf("s", &a), incidentLeaf("s", &b)); err != nil {
		t.Fatal(err)
	}
	for _, inc := range []monitor.Incident{a, b} {
		oldIncident(t, old, inc)
	}
	copyLog(t, old, &mem)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openTestDB(t, dir)
	var version int
	if err := db.r.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != SchemaVersion {
		t.Fatalf("schema version after Open = %d, %v; want %d", version, err, SchemaVersion)
	}
	moved := a
	moved.Lon, moved.Raw = 38.5, a.Raw+",moved"
	c := incident("s", "c", 2)
	res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: moved}, {Incident: c}}})
	if res.Revised != 1 || res.New != 1 {
		t.Fatalf("commit after migration = %+v, want 1 revised and 1 new", res)
	}
	log, head := logHead(t, db)
	if head.N != 4 {
		t.Fatalf("log of %d leaves after migration and commit, want 4", head.N)
	}
	if err := evidence.Audit(log, head); err != nil {
		t.Errorf("audit after migration: %v", err)
	}
	got, err := log.ReadLeaves(0, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []evidence.Leaf{incidentLeaf("s", &a), incidentLeaf("s", &b), incidentLeaf("s", &moved), incidentLeaf("s", &c)}
	for i, l := range want {
		data, err := evidence.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		if string(got[i]) != string(data) {
			t.Errorf("leaf %d reads\n%s\nwant\n%s", i, got[i], data)
		}
	}
	if lean := leanLeaves(t, db); !slices.Equal(lean, []bool{false, false, true, true}) {
		t.Errorf("lean leaves %v, want those of the commit after migration alone (2 and 3)", lean)
	}
}

// copyLog writes the leaves and stored hashes of mem into the
// evidence_leaves table of a database at schema version 3 or later, each
// leaf in full.
func copyLog(t *testing.T, db *sql.DB, mem *evidence.MemoryStorage) {
	t.Helper()
	size, _ := mem.Size()
	leaves, err := mem.ReadLeaves(0, size)
	if err != nil {
		t.Fatal(err)
	}
	for n := range size {
		var idx []int64
		for x := tlog.StoredHashCount(n); x < tlog.StoredHashCount(n+1); x++ {
			idx = append(idx, x)
		}
		hashes, err := mem.ReadHashes(idx)
		if err != nil {
			t.Fatal(err)
		}
		var packed []byte
		for _, h := range hashes {
			packed = append(packed, h[:]...)
		}
		l, err := evidence.Decode(leaves[n])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO evidence_leaves (idx, kind, data, hashes) VALUES (?, ?, ?, ?)`,
			n, string(l.Kind()), leaves[n], packed); err != nil {
			t.Fatal(err)
		}
	}
}

// leanLeaves returns, by index, whether each leaf of db is stored lean.
func leanLeaves(t *testing.T, db *DB) []bool {
	t.Helper()
	rows, err := db.r.Query("SELECT length(data) = 0 AND ref IS NOT NULL FROM evidence_leaves ORDER BY idx")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bool
	for rows.Next() {
		var l bool
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// TestMigrateLeanViolationLeaves opens a database of schema version 5
// whose violation leaves hold their data: those that their row still
// encodes byte for byte go lean, the one whose row changed since stays in
// full, every leaf reads back as written and the log audits.
func TestMigrateLeanViolationLeaves(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 5)
	a, b := incident("s", "a", 0), incident("s", "b", 1)
	va, vb := violation(a, "t 1:\n", "Донецька область"), violation(b, "t", "Z")
	va.ZoneVersion, vb.ZoneVersion = evidence.Sum([]byte("zones")), evidence.Sum([]byte("zones"))
	var mem evidence.MemoryStorage
	if _, err := evidence.Append(&mem, incidentLeaf("s", &a), incidentLeaf("s", &b),
		ViolationLeaf(&va), ViolationLeaf(&vb)); err != nil {
		t.Fatal(err)
	}
	for _, inc := range []monitor.Incident{a, b} {
		oldIncident(t, old, inc)
	}
	vb.ZoneVersion = evidence.Sum([]byte("zones, edited")) // the row of b changed after its leaf
	for _, v := range []monitor.Violation{va, vb} {
		oldViolation(t, old, v)
	}
	copyLog(t, old, &mem)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openTestDB(t, dir)
	if got, want := leanLeaves(t, db), []bool{false, false, true, false}; !slices.Equal(got, want) {
		t.Errorf("lean leaves after migration %v, want %v (the violation of a alone)", got, want)
	}
	want, _ := mem.ReadLeaves(0, 4)
	log := db.Evidence(ctx)
	got, err := log.ReadLeaves(0, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if string(got[i]) != string(want[i]) {
			t.Errorf("leaf %d reads\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	if err := evidence.Audit(logHead(t, db)); err != nil {
		t.Errorf("audit after migration: %v", err)
	}
}

// TestMigrateIndexes opens a database of schema version 6 holding a
// violation: it migrates, drops the indexes no query needs, and the
// queries that used them still answer.
func TestMigrateIndexes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 6)
	a := incident("s", "a", 0)
	v := violation(a, "t", "Z")
	oldIncident(t, old, a)
	oldViolation(t, old, v)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t, dir)
	var n int
	if err := db.r.QueryRow("SELECT COUNT(*) FROM pragma_index_list('violations')").Scan(&n); err != nil || n != 3 {
		t.Errorf("violations has %d indexes after migration (%v), want 3", n, err)
	}
	recent, err := db.Recent(ctx, 10)
	if err != nil || len(recent) != 1 || !sameViolation(recent[0], v) {
		t.Errorf("Recent after migration = %+v, %v; want the violation stored before", recent, err)
	}
	totals, err := db.Totals(ctx)
	if err != nil || len(totals) != 1 || totals[0].Count != 1 {
		t.Errorf("Totals after migration = %+v, %v; want one violation", totals, err)
	}
	days, err := db.Days(ctx)
	if err != nil || len(days) != 1 {
		t.Errorf("Days after migration = %+v, %v; want one day", days, err)
	}
}

// TestMigrateNames opens a database of schema version 7 and checks that
// its violations, moved to integer ids, read as before: a lean leaf still
// rebuilds from its row (the rowid is kept), a tier and a violation
// stored before versions were kept survive, and a revision of a migrated
// violation keeps its leaf.
func TestMigrateNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 7)
	a, b := incident("s", "a", 0), incident("s", "b", 1)
	va, vb := violation(a, "t", "Донецька область"), violation(b, "t", "Z")
	va.ZoneVersion = evidence.Sum([]byte("zones"))
	var mem evidence.MemoryStorage
	if _, err := evidence.Append(&mem, ViolationLeaf(&va)); err != nil {
		t.Fatal(err)
	}
	for _, inc := range []monitor.Incident{a, b} {
		oldIncident(t, old, inc)
	}
	if _, err := old.Exec("INSERT INTO violations (rowid, "+violationColumns+") VALUES (7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		va.Trial, va.ZoneID, string(va.Category), va.Source, va.IncidentID, va.OccurredAt.UnixNano(), va.Lon, va.Lat,
		string(va.Placement), va.Day, va.ZoneVersion[:], va.Config[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec("INSERT INTO violations ("+violationColumns+", tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 'corroborated')",
		vb.Trial, vb.ZoneID, string(vb.Category), vb.Source, vb.IncidentID, vb.OccurredAt.UnixNano(), vb.Lon, vb.Lat,
		string(vb.Placement), vb.Day); err != nil {
		t.Fatal(err)
	}
	copyLog(t, old, &mem)
	if _, err := old.Exec("UPDATE evidence_leaves SET data = x'', ref = -7"); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openTestDB(t, dir)
	vb.ZoneVersion, vb.Config = [32]byte{}, [32]byte{}
	got, err := db.TrialViolations(ctx, "t")
	if err != nil || len(got) != 2 || !sameViolation(got[0], va) || !sameViolation(got[1], vb) {
		t.Errorf("TrialViolations after migration = %+v, %v; want %+v and %+v", got, err, va, vb)
	}
	tiers, err := db.TrialTiers(ctx, "t")
	if err != nil || len(tiers) != 2 || tiers[0].Tier != "single" || tiers[1].Tier != "corroborated" {
		t.Errorf("TrialTiers after migration = %+v, %v; want a single, b corroborated", tiers, err)
	}
	moved := a
	moved.Raw += ",moved"
	revised := monitor.Item{Incident: moved} // its violation is retracted
	if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{revised}}); res.Revised != 1 || len(res.Retracted) != 1 {
		t.Fatalf("revision after migration = %+v, want 1 revised, 1 retracted", res)
	}
	log := db.Evidence(ctx)
	leaves, err := log.ReadLeaves(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mem.ReadLeaves(0, 1)
	if string(leaves[0]) != string(want[0]) {
		t.Errorf("leaf 0 reads\n%s\nwant\n%s", leaves[0], want[0])
	}
	if err := evidence.Audit(logHead(t, db)); err != nil {
		t.Errorf("audit after migration and revision: %v", err)
	}
}

// TestMigrateIncidentNames opens a database of schema version 8 whose
// incident has a lean leaf: after the migration its row, under the same
// rowid, still rebuilds the leaf, reads back, counts as a duplicate when
// sent again, and a revision of it keeps the log verifiable.
func TestMigrateIncidentNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 8)
	a := incident("s", "a", 0)
	var mem evidence.MemoryStorage
	if _, err := evidence.Append(&mem, incidentLeaf("s", &a)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO incidents (rowid, source, id, occurred_at, lon, lat, uncertainty_m, category, confidence, raw, ingested_at, zones)
VALUES (5, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '["Донецька область","Z"]')`, a.Source, a.ID, a.OccurredAt.UnixNano(), a.Lon, a.Lat,
		a.UncertaintyM, string(a.Category), a.Confidence, a.Raw); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO daily_counts (day, zone_id, source, category, count)
VALUES (?, 'Донецька область', 's', ?, 1), (?, 'Z', 's', ?, 1)`,
		unixDay(a.OccurredAt), string(a.Category), unixDay(a.OccurredAt), string(a.Category)); err != nil {
		t.Fatal(err)
	}
	copyLog(t, old, &mem)
	if _, err := old.Exec("UPDATE evidence_leaves SET data = x'', ref = 5"); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openTestDB(t, dir)
	log := db.Evidence(ctx)
	got, err := log.ReadLeaves(0, 1)
	want, _ := mem.ReadLeaves(0, 1)
	if err != nil || string(got[0]) != string(want[0]) {
		t.Fatalf("leaf 0 after migration reads\n%s\n%v; want\n%s", got, err, want[0])
	}
	inc, ok, err := db.Incident(ctx, "s", "a")
	if err != nil || !ok || inc.Raw != a.Raw || inc.Category != a.Category || !inc.OccurredAt.Equal(a.OccurredAt) {
		t.Errorf("Incident after migration = %+v, %v, %v; want %+v", inc, ok, err, a)
	}
	if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}}); res.Duplicate != 1 {
		t.Errorf("the migrated incident sent again: %+v, want a duplicate", res)
	}
	moved := a
	moved.Lon, moved.Raw = 38.5, a.Raw+",moved"
	if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: moved}}}); res.Revised != 1 {
		t.Errorf("the migrated incident revised: %+v, want a revision", res)
	}
	// The revision, in no zone, takes back the counts of the zones stored
	// before the migration.
	counts, err := db.DailyCounts(ctx, a.OccurredAt.Add(-48*time.Hour), a.OccurredAt.Add(48*time.Hour))
	if err != nil || len(counts) != 0 {
		t.Errorf("daily counts after the revision = %+v, %v; want none", counts, err)
	}
	log, head := logHead(t, db)
	if err := evidence.Audit(log, head); err != nil || head.N != 2 {
		t.Errorf("audit of %d leaves after migration and revision: %v; want 2 leaves", head.N, err)
	}
}

// TestMigratePackedRaw opens a database of schema version 9 holding an
// incident with a JSON raw record: the record stays as it was stored and
// reads back, the same incident sent again is a duplicate, and a new one
// is stored packed.
func TestMigratePackedRaw(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 9)
	a := incident("s", "a", 0)
	a.Raw = `{"LATITUDE":"48.01","LONGITUDE":"37.80"}`
	if _, err := old.Exec(`INSERT INTO names (id, name) VALUES (1, ?), (2, ?)`, a.Source, string(a.Category)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO incidents (source_ref, id, occurred_at, lon, lat, uncertainty_m, category_ref, confidence, raw, ingested_at)
VALUES (1, ?, ?, ?, ?, ?, 2, ?, ?, 0)`, a.ID, a.OccurredAt.UnixNano(), a.Lon, a.Lat, a.UncertaintyM, a.Confidence, a.Raw); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t, dir)
	if inc, ok, err := db.Incident(ctx, "s", "a"); err != nil || !ok || inc.Raw != a.Raw {
		t.Errorf("Incident after migration = %q, %v, %v; want raw %q", inc.Raw, ok, err, a.Raw)
	}
	b := a
	b.ID = "b"
	if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}, {Incident: b}}}); res.Duplicate != 1 || res.New != 1 {
		t.Errorf("commit after migration = %+v, want a duplicate and a new incident", res)
	}
	var packed []string
	rows, err := db.r.Query("SELECT id FROM incidents WHERE raw_shape IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		packed = append(packed, id)
	}
	if !slices.Equal(packed, []string{"b"}) {
		t.Errorf("packed rows %q, want the new one alone", packed)
	}
}

// TestMigrateIncidentRefs opens a database of schema version 10 holding
// one incident id in two sources, each with a violation stored in the
// other order and logged lean: after the migration every violation names
// its own incident by rowid, reads back by source and id, its lean leaf
// rebuilds from the new row, and a revision of one incident retracts its
// violation alone.
func TestMigrateIncidentRefs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := oldDB(t, dir, 10)
	a, a2 := incident("s", "a", 0), incident("s2", "a", time.Hour)
	va, va2 := violation(a, "t", "Z"), violation(a2, "t", "Z")
	for _, v := range []*monitor.Violation{&va, &va2} {
		v.ZoneVersion, v.Config = evidence.Sum([]byte("zones")), evidence.Sum([]byte("config"))
	}
	var mem evidence.MemoryStorage
	if _, err := evidence.Append(&mem, incidentLeaf("s", &a), incidentLeaf("s2", &a2),
		ViolationLeaf(&va2), ViolationLeaf(&va)); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO names (id, name) VALUES (1, 's'), (2, 's2'), (3, ?), (4, 't'), (5, 'Z'),
	(6, 'inside'), (7, 'single'), (8, ?), (9, ?)`, string(a.Category), va.ZoneVersion[:], va.Config[:]); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		rowid, source int
		inc           monitor.Incident
	}{{3, 1, a}, {5, 2, a2}} {
		if _, err := old.Exec(`INSERT INTO incidents (rowid, source_ref, id, occurred_at, lon, lat, uncertainty_m, category_ref,
	confidence, raw, ingested_at, zones) VALUES (?, ?, ?, ?, ?, ?, ?, 3, ?, ?, 0, '[5]')`, r.rowid, r.source, r.inc.ID,
			r.inc.OccurredAt.UnixNano(), r.inc.Lon, r.inc.Lat, r.inc.UncertaintyM, r.inc.Confidence, r.inc.Raw); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []struct {
		rowid, source int
		v             monitor.Violation
	}{{7, 2, va2}, {8, 1, va}} {
		if _, err := old.Exec(`INSERT INTO violations (rowid, trial_ref, zone_ref, category_ref, source_ref, incident_id,
	occurred_at, lon, lat, placement_ref, day, zone_version_ref, config_ref, tier_ref) VALUES (?, 4, 5, 3, ?, ?, ?, ?, ?, 6, ?, 8, 9, 7)`,
			r.rowid, r.source, r.v.IncidentID, r.v.OccurredAt.UnixNano(), r.v.Lon, r.v.Lat, r.v.Day); err != nil {
			t.Fatal(err)
		}
	}
	copyLog(t, old, &mem)
	if _, err := old.Exec(`UPDATE evidence_leaves SET data = x'', ref = CASE idx WHEN 0 THEN 3 WHEN 1 THEN 5 WHEN 2 THEN -7 ELSE -8 END`); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db := openTestDB(t, dir)
	var refs []int64
	rows, err := db.r.Query("SELECT incident_ref FROM violations ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	rows.Close()
	if !slices.Equal(refs, []int64{5, 3}) {
		t.Errorf("violations name incidents %v, want [5 3] (s2/a, then s/a)", refs)
	}
	for _, want := range []monitor.Violation{va, va2} {
		got, err := db.ViolationsOf(ctx, "t", want.Source, want.IncidentID)
		if err != nil || len(got) != 1 || !sameViolation(got[0], want) {
			t.Errorf("ViolationsOf(%s/%s) after migration = %+v, %v; want %+v", want.Source, want.IncidentID, got, err, want)
		}
	}
	want, _ := mem.ReadLeaves(0, 4)
	got, err := db.Evidence(ctx).ReadLeaves(0, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if string(got[i]) != string(want[i]) {
			t.Errorf("leaf %d reads\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	if res := mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: a}}}); res.Duplicate != 1 {
		t.Errorf("the migrated incident s/a sent again: %+v, want a duplicate", res)
	}
	moved := a2
	moved.Raw += ",moved"
	res := mustCommit(t, db, &monitor.Batch{Source: "s2", Items: []monitor.Item{{Incident: moved}}})
	if res.Revised != 1 || len(res.Retracted) != 1 || !sameViolation(res.Retracted[0], va2) {
		t.Errorf("revision of s2/a after migration = %+v, want its violation retracted", res)
	}
	if got, err := db.ViolationsOf(ctx, "t", "s", "a"); err != nil || len(got) != 1 {
		t.Errorf("ViolationsOf(s/a) after the revision of s2/a = %+v, %v; want it standing", got, err)
	}
	if err := evidence.Audit(logHead(t, db)); err != nil {
		t.Errorf("audit after migration and revision: %v", err)
	}
}

// TestMigrateIncidentRefsOrphan: a violation whose incident is not stored
// stops the migration, which names it, and leaves the database as it was.
func TestMigrateIncidentRefsOrphan(t *testing.T) {
	dir := t.TempDir()
	old := oldDB(t, dir, 10)
	if _, err := old.Exec(`INSERT INTO names (id, name) VALUES (1, 's');
INSERT INTO violations (trial_ref, zone_ref, category_ref, source_ref, incident_id, occurred_at, lon, lat,
	placement_ref, day, tier_ref) VALUES (1, 1, 1, 1, 'gone', 0, 0, 0, 1, 0, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open migrated a violation without its incident")
	}
	if !strings.Contains(err.Error(), "version 11") || !strings.Contains(err.Error(), "incident_ref") {
		t.Errorf("Open: %v; want the migration to version 11 and the column named", err)
	}
	check, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var version, n int
	if err := check.QueryRow("SELECT (SELECT user_version FROM pragma_user_version), COUNT(*) FROM violations WHERE incident_id = 'gone'").Scan(&version, &n); err != nil || version != 10 || n != 1 {
		t.Errorf("after the failed migration: version %d, %d violations (%v); want 10 and the row kept", version, n, err)
	}
}

// TestRowidsDeclared: incidents and violations, whose rowids lean leaves
// and violations refer to, declare them (rowid INTEGER PRIMARY KEY), in a
// new store and in one migrated from version 10, so that VACUUM keeps them;
// after a VACUUM of a store with a gap in its violation rowids (a
// retraction), the log still audits and every violation reads as before.
func TestRowidsDeclared(t *testing.T) {
	ctx := context.Background()
	migrated := t.TempDir()
	oldDB(t, migrated, 10).Close()
	for name, dir := range map[string]string{"new": t.TempDir(), "migrated": migrated} {
		t.Run(name, func(t *testing.T) {
			db := openTestDB(t, dir)
			for _, table := range []string{"incidents", "violations"} {
				var pk int
				var typ string
				err := db.r.QueryRow("SELECT pk, type FROM pragma_table_info(?) WHERE name = 'rowid'", table).Scan(&pk, &typ)
				if err != nil || pk != 1 || typ != "INTEGER" {
					t.Errorf("%s: rowid column pk %d, type %q, %v; want the declared INTEGER PRIMARY KEY", table, pk, typ, err)
				}
			}
			a, b, c := incident("s", "a", time.Hour), incident("s", "b", 2*time.Hour), incident("s", "c", 3*time.Hour)
			mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{
				versioned(item(a, "Z1", "Z2")), versioned(item(b, "Z1")), versioned(item(c, "Z3"))}})
			moved := a
			moved.Raw += ",moved"
			mustCommit(t, db, &monitor.Batch{Source: "s", Items: []monitor.Item{versioned(item(moved, "Z2"))}, Deleted: []string{"b"}})
			before, err := db.Recent(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			_, head := logHead(t, db)
			if _, err := db.w.Exec("VACUUM"); err != nil {
				t.Fatal(err)
			}
			after, err := db.Recent(ctx, 100)
			if err != nil || !slices.EqualFunc(after, before, sameViolation) {
				t.Errorf("violations after VACUUM %+v, %v; want %+v", after, err, before)
			}
			if err := evidence.Audit(db.Evidence(ctx), head); err != nil {
				t.Errorf("audit after VACUUM: %v", err)
			}
		})
	}
}
