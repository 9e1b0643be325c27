package evidence

import (
	"bytes"
	"encoding/json"
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
