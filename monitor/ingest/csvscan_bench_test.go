package ingest

import (
	"bytes"
	"encoding/csv"
	"io"
	"testing"
)

// BenchmarkCSVScan reads the records of the unpacked 2022 yearly file (one
// header and 133,979 rows, no quotes) and nothing more: the scanner beside
// the encoding/csv Reader tables used before, as they used it.
func BenchmarkCSVScan(b *testing.B) {
	_, doc, _ := yearly2022(b)
	rows := yearlyRows[2022] + 1
	b.Run("scanner", func(b *testing.B) {
		benchScan(b, doc, rows, func(r io.Reader) func() error {
			s := newCSVScanner(r, csvBlock)
			return func() error { _, _, _, err := s.Read(); return err }
		})
	})
	b.Run("encoding-csv", func(b *testing.B) {
		benchScan(b, doc, rows, func(r io.Reader) func() error {
			cr := csv.NewReader(r)
			cr.LazyQuotes, cr.FieldsPerRecord, cr.ReuseRecord = true, -1, true
			return func() error {
				_, err := cr.Read()
				if err == nil {
					_, _ = cr.FieldPos(0)
				}
				return err
			}
		})
	})
}

// benchScan reads doc to its end b.N times with the reader open makes,
// and reports records per second.
func benchScan(b *testing.B, doc []byte, rows int, open func(io.Reader) func() error) {
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		read, n := open(bytes.NewReader(doc)), 0
		for read() == nil {
			n++
		}
		if n != rows {
			b.Fatalf("%d records, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
