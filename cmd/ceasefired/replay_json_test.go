package main

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestAppendReplayLineMatchesEncodingJSON checks that the append encoder
// writes exactly the bytes encoding/json's Encoder writes for the same
// violation, across non-ASCII and escaped text, odd floats and times, and
// that it skips exactly the lines Encoder refuses.
func TestAppendReplayLineMatchesEncodingJSON(t *testing.T) {
	base := monitor.Violation{Trial: "year-2022", ZoneID: "UA-14", Category: monitor.ThermalAnomaly,
		Source: "firms", IncidentID: "2022-01-01/47.1005/37.6171",
		OccurredAt: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Lon: 37.6171, Lat: 47.1005, Placement: monitor.Inside}
	kyiv := time.FixedZone("EET", 2*3600)
	tests := []struct {
		name string
		edit func(v *monitor.Violation)
	}{
		{"plain", func(*monitor.Violation) {}},
		{"cyrillic zone", func(v *monitor.Violation) { v.ZoneID = "Донецька область" }},
		{"html and quotes", func(v *monitor.Violation) { v.IncidentID = `<a href="x">&'\` }},
		{"control characters", func(v *monitor.Violation) { v.IncidentID = "a\x00\x01\b\f\n\r\t\x1f\x7fz" }},
		{"invalid utf-8", func(v *monitor.Violation) { v.Source = "ab\xff\xfe\xc3" }},
		{"line separators and emoji", func(v *monitor.Violation) { v.Trial = "x\u2028y\u2029z😀é" }},
		{"empty strings", func(v *monitor.Violation) { v.Trial, v.Placement = "", "" }},
		{"negative zero and tiny", func(v *monitor.Violation) { v.Lon, v.Lat = math.Copysign(0, -1), 1e-7 }},
		{"exponents", func(v *monitor.Violation) { v.Lon, v.Lat = 1e21, -1.5e-300 }},
		{"just below the cutoffs", func(v *monitor.Violation) { v.Lon, v.Lat = 1e-6, 999999999999999999999.0/10 }},
		{"long fraction", func(v *monitor.Violation) { v.Lon, v.Lat = 0.1+0.2, -179.99999999999997 }},
		{"subnormal and max", func(v *monitor.Violation) { v.Lon, v.Lat = 5e-324, math.MaxFloat64 }},
		{"nanoseconds", func(v *monitor.Violation) { v.OccurredAt = time.Date(2022, 3, 4, 5, 6, 7, 890, time.UTC) }},
		{"offset zone", func(v *monitor.Violation) { v.OccurredAt = time.Date(2022, 3, 4, 5, 6, 7, 0, kyiv) }},
		{"year 1", func(v *monitor.Violation) { v.OccurredAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"year 10000", func(v *monitor.Violation) { v.OccurredAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"negative year", func(v *monitor.Violation) { v.OccurredAt = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"zone offset of 24 hours", func(v *monitor.Violation) { v.OccurredAt = v.OccurredAt.In(time.FixedZone("x", 24*3600)) }},
		{"NaN", func(v *monitor.Violation) { v.Lat = math.NaN() }},
		{"infinity", func(v *monitor.Violation) { v.Lon = math.Inf(-1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := base
			tc.edit(&v)
			var want bytes.Buffer
			err := json.NewEncoder(&want).Encode(replayLine{v.Trial, v.ZoneID, string(v.Category), v.Source,
				v.IncidentID, v.OccurredAt, v.Lon, v.Lat, string(v.Placement)})
			prefix := []byte("kept|")
			got, ok := appendReplayLine(prefix, &v)
			if ok != (err == nil) {
				t.Fatalf("ok %v, encoding/json error %v", ok, err)
			}
			if !ok && string(got) != "kept|" {
				t.Fatalf("refused line left %q", got)
			}
			if ok && string(got) != "kept|"+want.String() {
				t.Errorf("got  %s\nwant %s", got[5:], want.Bytes())
			}
		})
	}
}

// FuzzAppendReplayLine compares the append encoder with encoding/json on
// arbitrary text, coordinates and times.
func FuzzAppendReplayLine(f *testing.F) {
	f.Add("Донецька область", "a<b>&\"\\\x00\u2028", 37.6171, -1e-7, int64(1640995200), int64(0))
	f.Add("\xff\xfe", "", 1e21, math.MaxFloat64, int64(-62135596800), int64(999999999))
	f.Fuzz(func(t *testing.T, zone, id string, lon, lat float64, sec, nsec int64) {
		v := monitor.Violation{Trial: "t", ZoneID: zone, Category: monitor.Shelling, Source: "s", IncidentID: id,
			OccurredAt: time.Unix(sec, nsec).UTC(), Lon: lon, Lat: lat, Placement: monitor.Buffer}
		var want bytes.Buffer
		err := json.NewEncoder(&want).Encode(replayLine{v.Trial, v.ZoneID, string(v.Category), v.Source,
			v.IncidentID, v.OccurredAt, v.Lon, v.Lat, string(v.Placement)})
		got, ok := appendReplayLine(nil, &v)
		if ok != (err == nil) || string(got) != want.String() {
			t.Fatalf("got %q (ok %v), want %q (err %v)", got, ok, want.Bytes(), err)
		}
	})
}

// BenchmarkReplayLine compares writing a violation line with the append
// encoder and with encoding/json.
func BenchmarkReplayLine(b *testing.B) {
	v := monitor.Violation{Trial: "years-2020", ZoneID: "Донецька область", Category: monitor.ThermalAnomaly,
		Source: "firms-yearly", IncidentID: "2022-03-18/48.1234/37.5678",
		OccurredAt: time.Date(2022, 3, 18, 0, 0, 0, 0, time.UTC), Lon: 37.5678, Lat: 48.1234, Placement: monitor.Inside}
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var line []byte
		for b.Loop() {
			line, _ = appendReplayLine(line[:0], &v)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for b.Loop() {
			buf.Reset()
			_ = enc.Encode(replayLine{v.Trial, v.ZoneID, string(v.Category), v.Source, v.IncidentID,
				v.OccurredAt, v.Lon, v.Lat, string(v.Placement)})
		}
	})
}
