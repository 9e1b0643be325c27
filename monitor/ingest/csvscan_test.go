package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// csvReads lists the records, lines and errors a reader gives until its
// first error, one string each.
func csvReads(read func() ([]string, int, int, error)) []string {
	var out []string
	for {
		rec, start, end, err := read()
		if err != nil {
			return append(out, "error: "+err.Error())
		}
		out = append(out, fmt.Sprintf("%d-%d %q", start, end, rec))
	}
}

// encodingCSVReads is csvReads of the encoding/csv Reader tables used
// before the scanner, which had a BOM stripped first.
func encodingCSVReads(r io.Reader) []string {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return csvReads(func() ([]string, int, int, error) {
		rec, err := cr.Read()
		if err != nil {
			return nil, 0, 0, err
		}
		start, _ := cr.FieldPos(0)
		end, _ := cr.FieldPos(len(rec) - 1)
		return rec, start, end, nil
	})
}

// checkScannerMatchesCSV compares the scanner with encoding/csv on doc,
// read whole, a byte at a time and with a read error at the end, through
// a small buffer and a large one.
func checkScannerMatchesCSV(t *testing.T, doc []byte) {
	t.Helper()
	errRead := errors.New("disk gone")
	readers := []struct {
		name string
		open func() io.Reader
	}{
		{"whole", func() io.Reader { return bytes.NewReader(doc) }},
		{"byte at a time", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(doc)) }},
		{"data with EOF", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(doc)) }},
		{"read error", func() io.Reader { return io.MultiReader(bytes.NewReader(doc), errReader{errRead}) }},
	}
	for _, r := range readers {
		want := encodingCSVReads(r.open())
		for _, size := range []int{4, 7, csvBlock} {
			s := newCSVScanner(r.open(), size)
			if got := csvReads(s.Read); !equalStrings(got, want) {
				t.Fatalf("%s, buffer %d: scanner gives\n%q\nencoding/csv gives\n%q", r.name, size, got, want)
			}
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCSVScannerMatchesEncodingCSV checks that the scanner gives the
// records, lines and errors of encoding/csv on the shapes it reads itself
// and on those it hands to encoding/csv.
func TestCSVScannerMatchesEncodingCSV(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"empty", ""},
		{"header only", "a,b,c"},
		{"plain", "a,b,c\n1,2,3\n4,5,6\n"},
		{"no final newline", "a,b\n1,2"},
		{"crlf", "a,b\r\n1,2\r\n3,4\r\n"},
		{"cr before eof", "a,b\n1,2\r"},
		{"two crs", "a,b\n1,2\r\r\n3,4\r\r"},
		{"cr inside", "a,b\n1\r2,3\n"},
		{"empty lines", "\n\na,b\n\n1,2\n\r\n\n3,4\n\r"},
		{"empty fields", "a,b,c\n,,\n,\n1,,\n"},
		{"ragged", "a,b,c\n1\n1,2,3,4,5\n"},
		{"spaces", " a , b \n 1 , 2 \n"},
		{"bom", "\xef\xbb\xbfa,b\n1,2\n"},
		{"bom only", "\xef\xbb\xbf"},
		{"half a bom", "\xef\xbb"},
		{"invalid utf-8", "a,b\n\xff,\xfe\xc3\n"},
		{"quoted header", "\"a\",b\n1,2\n"},
		{"quote later", "a,b\n1,2\n3,\"x,y\"\n5,6\n"},
		{"quote spanning lines", "a,b\n1,2\n3,\"x\ny\nz\"\n5,6\n7,8"},
		{"bare quote", "a,b\n1,2\n3,x\"y\n5,6\n"},
		{"doubled quotes", "a,b\n\"x\"\"y\",2\n"},
		{"quote never closed", "a,b\n1,2\n\"3,4\n5,6\n"},
		{"quote then crlf", "a,b\r\n1,2\r\n\"3\r\n4\",5\r\n6,7\r\n"},
		{"long line", "a,b\n" + strings.Repeat("x", 100) + "," + strings.Repeat("y", 300) + "\n1,2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkScannerMatchesCSV(t, []byte(tt.doc))
		})
	}
}

func FuzzCSVScanner(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,\"b\nc\",d\r\n", "\xef\xbb\xbfx\r\r\n\n,\"", "a,b\n1,2\r"} {
		f.Add([]byte(s))
	}
	addFixtureSeeds(f, "events.csv", "hostile.csv", "reduced.csv")
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkScannerMatchesCSV(t, doc)
	})
}
