package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ceasefired/ceasefired/monitor"
)

func FuzzUCDP(f *testing.F) {
	f.Add(gedDoc(f, true, gedBase, map[string]string{"id": "2", "date_start": "1/20/2015 1:30:00 PM", "where_prec": "4"}))
	f.Add(gedDoc(f, false, map[string]string{"conflict_name": "Novorossiya\x92s", "source_article": "two\nlines"}))
	d := NewUCDP(UCDPOptions{})
	f.Fuzz(func(t *testing.T, doc []byte) {
		text, err := io.ReadAll(utf8OrCP1252(bytes.NewReader(doc)))
		if err != nil || !utf8.Valid(text) || utf8.Valid(doc) && !bytes.Equal(text, doc) {
			t.Fatalf("charset conversion of %q gave %q, %v", doc, text, err)
		}
		var rec recorder
		if err := d.Decode(bytes.NewReader(doc), "fuzz.csv", &rec); err != nil {
			return
		}
		for i := range rec.incidents {
			inc := &rec.incidents[i]
			checkIncident(t, inc)
			var raw map[string]string
			if err := json.Unmarshal([]byte(inc.Raw), &raw); err != nil {
				t.Fatalf("raw %q: %v", inc.Raw, err)
			}
			if year, ok := raw["year"]; ok {
				if y, err := strconv.Atoi(strings.TrimSpace(year)); err != nil || y != inc.OccurredAt.Year() {
					t.Fatalf("incident %q at %v, year %q", inc.ID, inc.OccurredAt, year)
				}
			}
			if inc.UncertaintyM < 1_000 || inc.UncertaintyM > 100_000 || inc.Category != monitor.ArmedClash && inc.Category != monitor.Other {
				t.Fatalf("incident %+v: uncertainty or category outside the defaults", inc)
			}
		}
		records, header := csvRecords(t, text)
		if header {
			records--
		}
		lines := bytes.Count(text, []byte{'\n'}) + 1
		for _, r := range rec.rejects {
			if r.Line < 1 || r.Line > lines || r.Err == nil {
				t.Fatalf("reject %+v: line outside 1..%d or no error", r, lines)
			}
		}
		if got := len(rec.incidents) + len(rec.rejects); got != records {
			t.Fatalf("%d accepted + %d rejected, want %d data records", len(rec.incidents), len(rec.rejects), records)
		}
	})
}

// csvRecords counts the records of a UTF-8 document as an independent CSV
// reader sees them, and says whether the first names a GED column.
func csvRecords(t *testing.T, doc []byte) (n int, header bool) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc, utf8BOM)))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n, header
		}
		var perr *csv.ParseError
		if err != nil && !errors.As(err, &perr) {
			t.Fatalf("reference reader: %v", err)
		}
		if n == 0 {
			for _, f := range rec {
				header = header || isUCDPHeader([]string{strings.TrimSpace(f)})
			}
		}
		n++
	}
}
