package main

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	_ "modernc.org/sqlite"

	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// evidenceEnv is a config with a CSV and an ACLED source over one zone,
// a key file, and a storage folder the replays fill.
type evidenceEnv struct {
	dir, cfg, data, key string
}

func newEvidenceEnv(t *testing.T) *evidenceEnv {
	t.Helper()
	dir := t.TempDir()
	e := &evidenceEnv{dir: dir, cfg: filepath.Join(dir, "ceasefired.yml"), data: filepath.Join(dir, "data"),
		key: filepath.Join(dir, "evidence.key")}
	write(t, filepath.Join(dir, "zones.geojson"), `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},
"geometry":{"type":"Polygon","coordinates":[[[37,47],[39,47],[39,49],[37,49],[37,47]]]}}]}`)
	write(t, e.cfg, fmt.Sprintf(`zones:
  - {file: zones.geojson, id_property: id}
trials:
  - {name: t, zones: [a], start: 2026-12-01T00:00:00Z, days: 30, prohibited: [shelling, air_strike]}
sources:
  - {name: reports, format: csv, path: %[1]s/in/*.csv, schedule: "@daily",
     csv: {id: id, time: time, lat: lat, lon: lon, category: category}}
  - {name: acled, format: acled, path: %[1]s/in/*.acled, schedule: "@daily"}
evidence:
  key_file: evidence.key
  origin: test.example/log
`, dir))
	if _, err := evidence.CreateKeyFile(e.key, "test.example/log", rand.Reader); err != nil {
		t.Fatal(err)
	}
	return e
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replay stores the file body, named name, through source.
func (e *evidenceEnv) replay(t *testing.T, source, name, body string) {
	t.Helper()
	path := filepath.Join(e.dir, "in", name)
	write(t, path, body)
	if _, stderr, code := runCmd(t, "replay", "--config.file="+e.cfg, "--storage.path="+e.data, "--source="+source, path); code != 0 {
		t.Fatalf("replay %s: exit %d:\n%s", name, code, stderr)
	}
}

func (e *evidenceEnv) export(t *testing.T, name string) string {
	t.Helper()
	out := filepath.Join(e.dir, name)
	if _, stderr, code := runCmd(t, "evidence", "export", "--config.file="+e.cfg, "--storage.path="+e.data,
		"--trial=t", "--out="+out); code != 0 {
		t.Fatalf("export: exit %d:\n%s", code, stderr)
	}
	return out
}

// verify returns the exit code and stderr of evidence verify, with the
// key pinned to the one made for the test.
func (e *evidenceEnv) verify(t *testing.T, bundle string) (int, string) {
	t.Helper()
	pub := filepath.Join(e.dir, "trusted.pub")
	if _, err := os.Stat(pub); err != nil {
		stdout, stderr, code := runCmd(t, "evidence", "pubkey", "--config.file="+e.cfg, "--storage.path="+e.data)
		if code != 0 {
			t.Fatalf("pubkey: exit %d:\n%s", code, stderr)
		}
		write(t, pub, stdout)
	}
	_, stderr, code := runCmd(t, "evidence", "verify", "--public-key="+pub, bundle)
	return code, stderr
}

const acledHeader = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"

// TestEvidenceBundleDetectsTampering: a bundle of the stored evidence
// verifies; after one byte of an incident's raw record is flipped in the
// database, a new bundle fails naming that incident; after a violation
// row is deleted, a new bundle fails naming that violation; the first
// bundle still verifies. The ACLED incident leaves without its notes,
// actors and sources.
func TestEvidenceBundleDetectsTampering(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	e := newEvidenceEnv(t)
	e.replay(t, "reports", "r.csv", "id,time,lat,lon,category\nin1,2026-12-02T10:00:00Z,48,38,shelling\nin2,2026-12-03T10:00:00Z,48.5,38.5,shelling\n")
	e.replay(t, "acled", "a.acled", acledHeader+
		"ACL1,2026-12-04,2026,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Secret Actor One,Hidden Associate,1,Secret Actor Two,,1,11,,999,Europe,Testland,North,Lake,,Millbrook,48.1,38.1,1,Confidential Wire,National,Private note text,0,,1767225600\n")

	clean := e.export(t, "clean")
	if code, stderr := e.verify(t, clean); code != 0 {
		t.Fatalf("untouched bundle: exit %d:\n%s", code, stderr)
	}
	var all strings.Builder
	err := filepath.WalkDir(clean, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bundle := all.String()
	for _, forbidden := range []string{"Secret Actor", "Hidden Associate", "Confidential Wire", "Private note", "notes", "actor1", "source_scale"} {
		if strings.Contains(bundle, forbidden) {
			t.Errorf("the bundle holds %q, which ACLED's terms keep from leaving", forbidden)
		}
	}
	for _, want := range []string{`"id": "ACL1"`, `"geo_precision": "1"`, `"time_precision": "1"`, "Armed Conflict Location"} {
		if !strings.Contains(bundle, want) {
			t.Errorf("the bundle lacks %s", want)
		}
	}

	db, err := sql.Open("sqlite", filepath.Join(e.data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Flip one byte of the raw record of in1.
	var raw []byte
	if err := db.QueryRow(`SELECT raw FROM incidents WHERE id = 'in1'`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	raw[2] ^= 1
	if _, err := db.Exec(`UPDATE incidents SET raw = ? WHERE id = 'in1'`, string(raw)); err != nil {
		t.Fatal(err)
	}
	flipped := e.export(t, "flipped")
	code, stderr := e.verify(t, flipped)
	if code == 0 || !strings.Contains(stderr, `incident "reports"/"in1"`) || strings.Contains(stderr, `"in2"`) {
		t.Errorf("bundle after a flipped byte: exit %d, want a failure naming incident in1 alone:\n%s", code, stderr)
	}

	if _, err := db.Exec(`DELETE FROM violations WHERE rowid IN (SELECT id FROM violation_rows WHERE incident_id = 'in2')`); err != nil {
		t.Fatal(err)
	}
	deleted := e.export(t, "deleted")
	code, stderr = e.verify(t, deleted)
	if code == 0 || !strings.Contains(stderr, `violation of "t" in zone "a" by incident "reports"/"in2"`) {
		t.Errorf("bundle after a deleted violation: exit %d, want a failure naming it:\n%s", code, stderr)
	}

	if code, stderr := e.verify(t, clean); code != 0 {
		t.Errorf("the untouched bundle no longer verifies: exit %d:\n%s", code, stderr)
	}
}

// TestEvidenceConsistency: a later checkpoint of the same log is proven
// to extend an earlier one; a checkpoint signed with the same key over a
// rewritten history is refused.
func TestEvidenceConsistency(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	e := newEvidenceEnv(t)
	e.replay(t, "reports", "r1.csv", "id,time,lat,lon,category\nin1,2026-12-02T10:00:00Z,48,38,shelling\n")
	older := filepath.Join(e.export(t, "older"), evidence.CheckpointFile)
	e.replay(t, "reports", "r2.csv", "id,time,lat,lon,category\nin2,2026-12-03T10:00:00Z,48.5,38.5,shelling\n")
	newer := filepath.Join(e.export(t, "newer"), evidence.CheckpointFile)

	consistency := func(o, n string) (int, string) {
		_, stderr, code := runCmd(t, "evidence", "consistency", "--config.file="+e.cfg, "--storage.path="+e.data, o, n)
		return code, stderr
	}
	if code, stderr := consistency(older, newer); code != 0 {
		t.Fatalf("a true extension: exit %d:\n%s", code, stderr)
	}

	// The same number of leaves, but the first incident rewritten.
	s, _, err := evidence.ReadSigner(e.key)
	if err != nil {
		t.Fatal(err)
	}
	real, err := os.ReadFile(newer)
	if err != nil {
		t.Fatal(err)
	}
	v := verifierOf(t, e)
	nc, err := evidence.OpenCheckpoint(real, v)
	if err != nil {
		t.Fatal(err)
	}
	var forged evidence.MemoryStorage
	for i := range nc.Size {
		leaf := evidence.Version{FileKind: "zone", Name: fmt.Sprintf("rewritten-%d", i)}
		if _, err := evidence.Append(&forged, leaf); err != nil {
			t.Fatal(err)
		}
	}
	head, err := evidence.Head(&forged)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := evidence.SignCheckpoint(evidence.Checkpoint{Origin: s.Name(), Size: head.N, Hash: head.Hash, Time: time.Now()}, s)
	if err != nil {
		t.Fatal(err)
	}
	forgedFile := filepath.Join(e.dir, "forged")
	write(t, forgedFile, string(msg))
	if code, stderr := consistency(older, forgedFile); code == 0 || !strings.Contains(stderr, "does not extend") {
		t.Errorf("a rewritten history: exit %d, want a refusal:\n%s", code, stderr)
	}
}

func verifierOf(t *testing.T, e *evidenceEnv) note.Verifier {
	t.Helper()
	_, vkey, err := evidence.ReadSigner(e.key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
