package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// encoderCases are violations in runs of one time and one head, with times
// that print differently for one instant, and lines that cannot be printed.
func encoderCases() []monitor.Violation {
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	kyiv := time.FixedZone("EET", 2*3600)
	times := []time.Time{day, day, day.Add(time.Second), day.In(kyiv), day.In(kyiv),
		day.Add(1500 * time.Millisecond), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), day, {}}
	var vs []monitor.Violation
	for i, at := range times {
		for j := range 3 {
			v := monitor.Violation{Trial: "t", ZoneID: []string{"z", "Донецька область"}[(i+j)%2], Category: monitor.Shelling,
				Source: "s", IncidentID: fmt.Sprintf("%d-%d", i, j), OccurredAt: at, Lon: 30.5, Lat: 50.25, Placement: monitor.Inside}
			if i == 2 && j == 1 {
				v.Lon = math.Inf(1)
			}
			vs = append(vs, v)
		}
	}
	return vs
}

// TestLineEncoder: lines written reusing the head and time of the line
// before are those appendReplayLine writes alone, also after a line that
// cannot be written.
func TestLineEncoder(t *testing.T) {
	var enc lineEncoder
	for i, v := range encoderCases() {
		want, wantOK := appendReplayLine([]byte("x"), &v)
		got, ok := enc.appendLine([]byte("x"), &v)
		if ok != wantOK || !bytes.Equal(got, want) {
			t.Errorf("violation %d (%s): %q, %v; want %q, %v", i, v.OccurredAt, got, ok, want, wantOK)
		}
	}
}

// BenchmarkLineEncoder measures the writer's encoding of one line, in runs
// of one time and head as a replay of a day's rows gives them, against
// appendReplayLine writing each line alone.
func BenchmarkLineEncoder(b *testing.B) {
	vs := encoderCases()[:6]
	buf := make([]byte, 0, 4096)
	b.Run("reused", func(b *testing.B) {
		var enc lineEncoder
		for b.Loop() {
			buf = buf[:0]
			for i := range vs {
				buf, _ = enc.appendLine(buf, &vs[i])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vs)), "ns/line")
	})
	b.Run("alone", func(b *testing.B) {
		for b.Loop() {
			buf = buf[:0]
			for i := range vs {
				buf, _ = appendReplayLine(buf, &vs[i])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vs)), "ns/line")
	})
}

// TestLineWriterRecycles: each batch is handed back once, in order, after
// its lines are written.
func TestLineWriterRecycles(t *testing.T) {
	var buf bytes.Buffer
	var lines []int // lines written when each batch came back
	var back []int  // first incident of each batch handed back
	var lw *lineWriter
	lw = newRecyclingLineWriter(&buf, func(vs []monitor.Violation) {
		_ = lw.out.Flush()
		lines = append(lines, bytes.Count(buf.Bytes(), []byte("\n")))
		k, err := strconv.Atoi(vs[0].IncidentID)
		if err != nil {
			t.Errorf("incident id %q: %v", vs[0].IncidentID, err)
		}
		back = append(back, k)
	})
	for b := range 5 {
		vs := make([]monitor.Violation, 3)
		for i := range vs {
			vs[i] = monitor.Violation{Trial: "t", ZoneID: "z", IncidentID: fmt.Sprint(b*3 + i), Placement: monitor.Inside}
		}
		lw.write(vs)
	}
	if err := lw.close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != "[0 3 6 9 12]" || fmt.Sprint(lines) != "[3 6 9 12 15]" {
		t.Errorf("batches back %v after %v lines, want [0 3 6 9 12] after [3 6 9 12 15]", back, lines)
	}
}
