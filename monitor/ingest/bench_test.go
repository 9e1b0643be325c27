package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
)

// discard is a monitor.Sink that drops everything it is given.
type discard struct{ rows int }

func (d *discard) Incident(*monitor.Incident) error        { d.rows++; return nil }
func (d *discard) Reject(int, monitor.RejectReason, error) { d.rows++ }

// benchDecode decodes doc b.N times and reports rows per second.
func benchDecode(b *testing.B, d monitor.Decoder, doc []byte, rows int) {
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var s discard
		if err := d.Decode(bytes.NewReader(doc), "bench.csv", &s); err != nil {
			b.Fatal(err)
		}
		if s.rows != rows {
			b.Fatalf("%d rows, want %d", s.rows, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkFIRMS(b *testing.B) {
	data := testenv.SharedData(b, "")
	doc, err := os.ReadFile(filepath.Join(data, "incidents", "firms_modis_ukraine_2022-02-24_2022-05-31_sp.csv"))
	if err != nil {
		b.Skipf("data file: %v", err)
	}
	benchDecode(b, NewFIRMS(FIRMSOptions{DropTypes: []int{2}, Footprint: true}), doc, 8470)
}

// BenchmarkCSVYearly decodes the 2022 yearly file, unpacked beforehand so
// that the figure is the decoder's; the gzip case adds decompression.
func BenchmarkCSVYearly(b *testing.B) {
	gz, doc, d := yearly2022(b)
	b.Run("plain", func(b *testing.B) { benchDecode(b, d, doc, yearlyRows[2022]) })
	b.Run("gzip", func(b *testing.B) {
		b.SetBytes(int64(len(gz)))
		for b.Loop() {
			r, err := monitor.Decompress(bytes.NewReader(gz))
			if err != nil {
				b.Fatal(err)
			}
			var s discard
			if err := d.Decode(r, "bench.csv.gz", &s); err != nil || s.rows != yearlyRows[2022] {
				b.Fatalf("%d rows, %v", s.rows, err)
			}
		}
		b.ReportMetric(float64(yearlyRows[2022])*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkCSVYearlyPipelined decodes the unpacked 2022 yearly file through
// Pipelined into a sink that only counts: the cost of the hand-over
// between goroutines, beside BenchmarkCSVYearly/plain.
func BenchmarkCSVYearlyPipelined(b *testing.B) {
	_, doc, d := yearly2022(b)
	benchDecode(b, Pipelined(d), doc, yearlyRows[2022])
}

// yearly2022 returns the 2022 yearly FIRMS file of the shared data, gzipped
// as stored and unpacked, with the CSV decoder of its three columns; it
// skips b without the shared data.
func yearly2022(b *testing.B) (gz, doc []byte, d monitor.Decoder) {
	b.Helper()
	data := testenv.SharedData(b, "")
	gz, err := os.ReadFile(yearlyPath(data, 2022))
	if err != nil {
		b.Skipf("data file: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		b.Fatal(err)
	}
	if doc, err = io.ReadAll(zr); err != nil {
		b.Fatal(err)
	}
	if d, err = NewCSV(CSVOptions{Lat: "LATITUDE", Lon: "LONGITUDE", Time: "ACQ_DATE", DefaultCategory: monitor.ThermalAnomaly}); err != nil {
		b.Fatal(err)
	}
	return gz, doc, d
}
