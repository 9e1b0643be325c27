package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// fuzzCSVOptions is the layout FuzzCSV decodes; its seeds use these names.
var fuzzCSVOptions = CSVOptions{Lat: "lat", Lon: "lon", Time: "time", Category: "cat", Confidence: "conf"}

// addFixtureSeeds adds the named testdata files to the fuzz corpus.
func addFixtureSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzFIRMS(f *testing.F) {
	addFixtureSeeds(f, "modis_sp.csv", "modis_nrt.csv", "viirs_nrt.csv", "reduced.csv", "hostile.csv")
	d := NewFIRMS(FIRMSOptions{MinConfidence: 30, DropTypes: []int{2}, Footprint: true})
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkDecode(t, d, doc)
	})
}

func FuzzCSV(f *testing.F) {
	addFixtureSeeds(f, "events.csv")
	d, err := NewCSV(fuzzCSVOptions)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkDecode(t, d, doc)
	})
}

// checkDecode decodes doc and checks the invariants every decoder keeps:
// no panic, every accepted incident valid, one outcome per data record, and
// reject lines inside the document.
func checkDecode(t *testing.T, d monitor.Decoder, doc []byte) {
	var rec recorder
	if err := d.Decode(bytes.NewReader(doc), "fuzz.csv", &rec); err != nil {
		return // a document-level error is allowed; only its absence has duties
	}
	for i := range rec.incidents {
		checkIncident(t, &rec.incidents[i])
	}
	lines := bytes.Count(doc, []byte{'\n'}) + 1
	for _, r := range rec.rejects {
		if r.Line < 2 || r.Line > lines || r.Err == nil {
			t.Fatalf("reject %+v: line outside 2..%d or no error", r, lines)
		}
	}
	want := dataRecords(t, doc)
	if got := len(rec.incidents) + len(rec.rejects); got != want {
		t.Fatalf("%d accepted + %d rejected = %d, want %d data records", len(rec.incidents), len(rec.rejects), got, want)
	}
	if !bytes.ContainsAny(doc, "\"\r") {
		if want != nonEmptyLines(doc)-1 {
			t.Fatalf("%d data records, but %d non-empty lines after the header", want, nonEmptyLines(doc)-1)
		}
	}
}

// dataRecords counts the records after the header as an independent CSV
// reader with the same settings sees them.
func dataRecords(t *testing.T, doc []byte) int {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc, utf8BOM)))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n - 1
		}
		var perr *csv.ParseError
		if err != nil && !errors.As(err, &perr) {
			t.Fatalf("reference reader: %v", err)
		}
		n++
	}
}

// nonEmptyLines counts the lines of doc that hold at least one byte.
func nonEmptyLines(doc []byte) int {
	n := 0
	for _, l := range bytes.Split(bytes.TrimPrefix(doc, utf8BOM), []byte{'\n'}) {
		if len(l) > 0 {
			n++
		}
	}
	return n
}
