package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestManifestWriterMatchesMarshalIndent: a manifest written an entry at a
// time is byte for byte what json.MarshalIndent makes of the whole, with
// lists empty (null) or full, records with characters JSON escapes, and
// the optional lists present or not.
func TestManifestWriterMatchesMarshalIndent(t *testing.T) {
	entry := func(i int64) BundleEntry {
		return BundleEntry{Index: i, Leaf: []byte("leaf <&> \x00" + strings.Repeat("x", int(i))),
			Proof: [][]byte{{1, 2, 3}, {4}}, Record: map[string]string{"id": "a\"b", "zone_id": "Донецька область"}}
	}
	cases := []Manifest{
		{Format: BundleFormat, Trial: "t"},
		{Format: BundleFormat, Trial: "t <1>", Violations: []BundleEntry{entry(1), entry(2)},
			Versions: []BundleEntry{{Index: 9, Leaf: []byte("v"), Proof: nil, File: "files/ab.yml"}}},
		{Format: BundleFormat, Trial: "t", Violations: []BundleEntry{entry(1)}, Incidents: []BundleEntry{entry(3)},
			Retractions: []BundleEntry{{Index: 4, Leaf: []byte("r"), Missing: "no row"}}, Versions: []BundleEntry{entry(5)},
			Unlogged:    []map[string]string{{"kind": "incident", "source": "s", "id": "x"}},
			Attribution: []string{"FIRMS", "UCDP"}},
	}
	for i, m := range cases {
		want, err := json.MarshalIndent(&m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		var got bytes.Buffer
		mw := NewManifestWriter(&got, m.Format, m.Trial)
		for _, l := range []struct {
			name    string
			entries []BundleEntry
		}{{"violations", m.Violations}, {"incidents", m.Incidents}, {"retractions", m.Retractions}, {"versions", m.Versions}} {
			for j := range l.entries {
				if err := mw.Add(l.name, &l.entries[j]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := mw.Close(m.Unlogged, m.Attribution); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("case %d: wrote\n%s\nwant\n%s", i, got.Bytes(), want)
		}
	}
}

// TestManifestWriterOrder: entries go to the lists in their order; a list
// named after a later one, or no list, is an error.
func TestManifestWriterOrder(t *testing.T) {
	var b bytes.Buffer
	mw := NewManifestWriter(&b, BundleFormat, "t")
	e := BundleEntry{Index: 1}
	if err := mw.Add("incidents", &e); err != nil {
		t.Fatal(err)
	}
	if err := mw.Add("violations", &e); err == nil {
		t.Error("a violation after an incident was written")
	}
	if err := mw.Add("notes", &e); err == nil {
		t.Error("an entry of an unknown list was written")
	}
}

// TestVerifyDirStreams: VerifyDir, reading the manifest an entry at a
// time, names each failure by its position in the lists taken in order,
// proofs before records, and reads a manifest whose lists come in another
// order, whose keys differ in case and which has a key it does not know,
// as json.Unmarshal would.
func TestVerifyDirStreams(t *testing.T) {
	s, v := testKey(t, 1)
	st, cp := testLog(t, s)
	size, _ := st.Size()
	entry := func(x int64) BundleEntry {
		leaves, err := st.ReadLeaves(x, 1)
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEntry(st, size, x, leaves[0])
		if err != nil {
			t.Fatal(err)
		}
		l, _ := Decode(leaves[0])
		e.Record = RecordOf(l)
		return e
	}
	// Leaves 2 and 7 are violations, 1 and 6 incidents (sampleLeaves).
	good, badProof := entry(2), entry(7)
	badProof.Proof = entry(2).Proof
	inc, badRecord := entry(1), entry(6)
	badRecord.Record["id"] = "someone else"
	m := Manifest{Format: BundleFormat, Trial: "t", Violations: []BundleEntry{good, badProof},
		Incidents: []BundleEntry{inc, badRecord}}
	standard, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	lists := func(es []BundleEntry) string {
		b, err := json.Marshal(es)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	reordered := `{"Incidents": ` + lists(m.Incidents) + `, "note": {"a": [1, 2]}, "TRIAL": "t", "violations": ` +
		lists(m.Violations) + `, "format": "` + BundleFormat + `", "retractions": null}`
	for name, manifest := range map[string]string{"standard": string(standard), "reordered": reordered} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for file, data := range map[string]string{ManifestFile: manifest, CheckpointFile: string(cp)} {
				if err := os.WriteFile(filepath.Join(dir, file), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, sum, err := VerifyDir(dir, v)
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("VerifyDir: %v, want a *BundleError", err)
			}
			var got []int
			for _, l := range be.Leaves {
				got = append(got, l.Position)
			}
			if !slices.Equal(got, []int{1, 3}) {
				t.Errorf("failures at positions %v, want [1 3] (the proof of violation 1, the record of incident 1)", got)
			}
			if sum.Trial != "t" || sum.Violations != 2 || sum.Incidents != 2 || sum.Retractions != 0 {
				t.Errorf("summary %+v, want trial t, 2 violations and 2 incidents", sum)
			}
		})
	}
}
