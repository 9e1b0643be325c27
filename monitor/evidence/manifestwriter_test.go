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

// FuzzReadManifest: readManifest, the verifier's streaming reader,
// accepts every manifest json.Unmarshal accepts and reads the same
// format, trial, lists (the last of a list given twice, as Unmarshal
// keeps), unlogged records and attribution.
func FuzzReadManifest(f *testing.F) {
	m := Manifest{Format: BundleFormat, Trial: "t", Violations: []BundleEntry{{Index: 1, Leaf: []byte("l"),
		Proof: [][]byte{{1}}, Record: map[string]string{"id": "a"}}}, Versions: []BundleEntry{{Index: 2, File: "files/x"}},
		Unlogged: []map[string]string{{"kind": "incident"}}, Attribution: []string{"FIRMS"}}
	b, _ := json.MarshalIndent(&m, "", "  ")
	f.Add(b)
	f.Add([]byte(`{"VIOLATIONS": null, "violations": [{"index": 3}], "x": [1, {"y": 2}], "Trial": "u"}`))
	f.Add([]byte(`{"incidents": [{"leaf": "AA=="}], "incidents": []}`))
	f.Add([]byte(`{"versions": [{"index": 1}], "versions": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want Manifest
		if json.Unmarshal(data, &want) != nil {
			return
		}
		var got BundleSummary
		var lists [len(manifestLists)][]BundleEntry
		err := readManifest(bytes.NewReader(data), &got, func(list, i int, e *BundleEntry) {
			if i == 0 {
				lists[list] = nil // a list given again replaces the one before
			}
			lists[list] = append(lists[list], *e)
		})
		if err != nil {
			t.Fatalf("json.Unmarshal read %q, readManifest: %v", data, err)
		}
		for i, w := range [][]BundleEntry{want.Violations, want.Incidents, want.Retractions, want.Versions} {
			if n := *got.count(i); n != len(w) {
				t.Fatalf("%s: %d entries, json.Unmarshal %d", manifestLists[i], n, len(w))
			}
			g, _ := json.Marshal(lists[i][:min(len(lists[i]), len(w))])
			ww, _ := json.Marshal(w)
			if len(w) > 0 && !bytes.Equal(g, ww) {
				t.Fatalf("%s: %s, json.Unmarshal %s", manifestLists[i], g, ww)
			}
		}
		gu, _ := json.Marshal(got.Unlogged)
		wu, _ := json.Marshal(want.Unlogged)
		if got.Format != want.Format || got.Trial != want.Trial || !bytes.Equal(gu, wu) ||
			!slices.Equal(got.Attribution, want.Attribution) {
			t.Fatalf("read %+v, json.Unmarshal %+v", got, want)
		}
	})
}
