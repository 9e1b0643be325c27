package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestLineWriterKeepsOrder checks that the writer prints every violation
// of every batch, in the order the batches were handed over.
func TestLineWriterKeepsOrder(t *testing.T) {
	var buf bytes.Buffer
	lw := newLineWriter(&buf)
	var want strings.Builder
	for b := range 50 {
		vs := make([]monitor.Violation, 100)
		for i := range vs {
			// Runs of heads of different lengths, one line not written
			// (NaN), Cyrillic zones: the cached head must never leak into
			// the next line.
			vs[i] = monitor.Violation{Trial: []string{"t", "trial-2"}[i/7%2], ZoneID: []string{"z", "Донецька область", "z<&>"}[i/3%3],
				IncidentID: fmt.Sprintf("%d-%d", b, i), Placement: monitor.Inside}
			if i == 50 {
				vs[i].Lat = math.NaN()
			}
			line, ok := appendReplayLine(nil, &vs[i])
			if ok == (i == 50) {
				t.Fatalf("violation %d-%d printable: %v", b, i, ok)
			}
			want.Write(line)
		}
		lw.write(vs)
	}
	if err := lw.close(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want.String() {
		t.Errorf("printed %d bytes, want %d in the order written", buf.Len(), want.Len())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestLineWriterReportsWriteError checks that close returns the error of
// the underlying writer.
func TestLineWriterReportsWriteError(t *testing.T) {
	lw := newLineWriter(failingWriter{})
	lw.write([]monitor.Violation{{Trial: "t", IncidentID: "a"}})
	if err := lw.close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("close: %v, want the write error", err)
	}
}
