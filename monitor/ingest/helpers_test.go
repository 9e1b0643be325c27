package ingest

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// reject is one Sink.Reject call.
type reject struct {
	Line   int
	Reason monitor.RejectReason
	Err    error
}

// recorder is a monitor.Sink that keeps what it is given.
type recorder struct {
	incidents []monitor.Incident
	rejects   []reject
}

func (r *recorder) Incident(inc *monitor.Incident) error {
	r.incidents = append(r.incidents, *inc)
	return nil
}

func (r *recorder) Reject(line int, reason monitor.RejectReason, err error) {
	r.rejects = append(r.rejects, reject{line, reason, err})
}

// byReason counts the rejects per reason.
func (r *recorder) byReason() map[monitor.RejectReason]int {
	m := map[monitor.RejectReason]int{}
	for _, rj := range r.rejects {
		m[rj.Reason]++
	}
	return m
}

// counter is a monitor.Sink that only counts, for large files.
type counter struct {
	accepted int
	rejected map[monitor.RejectReason]int
}

func (c *counter) Incident(*monitor.Incident) error { c.accepted++; return nil }

func (c *counter) Reject(_ int, reason monitor.RejectReason, _ error) {
	if c.rejected == nil {
		c.rejected = map[monitor.RejectReason]int{}
	}
	c.rejected[reason]++
}

func (c *counter) total() int {
	n := c.accepted
	for _, v := range c.rejected {
		n += v
	}
	return n
}

// checkIncident fails t when inc breaks an invariant every accepted
// incident must keep.
func checkIncident(t testing.TB, inc *monitor.Incident) {
	t.Helper()
	switch {
	case math.IsNaN(inc.Lat) || math.IsNaN(inc.Lon) || math.Abs(inc.Lat) > 90 || math.Abs(inc.Lon) > 180:
		t.Fatalf("incident %q has coordinates %v, %v", inc.ID, inc.Lat, inc.Lon)
	case inc.OccurredAt.IsZero() || inc.OccurredAt.Location() != nil && inc.OccurredAt.Location().String() != "UTC":
		t.Fatalf("incident %q has time %v", inc.ID, inc.OccurredAt)
	case inc.ID == "":
		t.Fatalf("incident at %v, %v has no id", inc.Lat, inc.Lon)
	case inc.Source != "":
		t.Fatalf("incident %q has source %q, want it left to the pipeline", inc.ID, inc.Source)
	case !json.Valid([]byte(inc.Raw)):
		t.Fatalf("incident %q raw is not JSON: %q", inc.ID, inc.Raw)
	case inc.Confidence != -1 && (inc.Confidence < 0 || inc.Confidence > 100):
		t.Fatalf("incident %q confidence %v", inc.ID, inc.Confidence)
	}
}

// decodeFile decodes the file at path with d into a recorder.
func decodeFile(t testing.TB, d monitor.Decoder, path string) *recorder {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := monitor.Decompress(f)
	if err != nil {
		t.Fatal(err)
	}
	var rec recorder
	if err := d.Decode(r, path, &rec); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	for i := range rec.incidents {
		checkIncident(t, &rec.incidents[i])
	}
	return &rec
}
