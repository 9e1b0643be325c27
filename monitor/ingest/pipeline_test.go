package ingest

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// pipelineDoc returns a CSV document of n rows, every seventh malformed
// (a bad latitude) and every eleventh a repeat of the row before.
func pipelineDoc(n int) string {
	var b strings.Builder
	b.WriteString("id,time,lat,lon\n")
	for i := range n {
		switch {
		case i%7 == 3:
			fmt.Fprintf(&b, "r%d,2022-01-01,north,30\n", i)
		case i%11 == 5:
			fmt.Fprintf(&b, "r%d,2022-01-01,48.%d,30\n", i-1, i)
		default:
			fmt.Fprintf(&b, "r%d,2022-01-%02d,48.%d,30\n", i, 1+i%28, i)
		}
	}
	return b.String()
}

// TestPipelinedSameCalls checks that the pipelined decoder makes exactly
// the sink calls of the decoder it wraps, in the same order, for documents
// shorter than a block, of exactly one and of several.
func TestPipelinedSameCalls(t *testing.T) {
	dec, err := NewCSV(CSVOptions{ID: "id", Time: "time", Lat: "lat", Lon: "lon"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, blockLen - 1, blockLen, 5*blockLen + 3} {
		t.Run(fmt.Sprint(n, " rows"), func(t *testing.T) {
			doc := pipelineDoc(n)
			var want, got callLog
			if err := dec.Decode(strings.NewReader(doc), "doc.csv", &want); err != nil {
				t.Fatal(err)
			}
			if err := Pipelined(dec).Decode(strings.NewReader(doc), "doc.csv", &got); err != nil {
				t.Fatal(err)
			}
			if len(got.calls) != n || !reflect.DeepEqual(got.calls, want.calls) {
				t.Errorf("pipelined made %d calls, differing from the %d of the decoder", len(got.calls), len(want.calls))
			}
		})
	}
}

// callLog records every sink call in order.
type callLog struct{ calls []string }

func (c *callLog) Incident(inc *monitor.Incident) error {
	c.calls = append(c.calls, fmt.Sprintf("incident %+v", *inc))
	return nil
}

func (c *callLog) Reject(line int, reason monitor.RejectReason, err error) {
	c.calls = append(c.calls, fmt.Sprintf("reject %d %s %v", line, reason, err))
}

// stoppingSink fails on incident number failAt (1-based).
type stoppingSink struct {
	seen, failAt int
}

var errSinkFull = errors.New("sink full")

func (f *stoppingSink) Incident(*monitor.Incident) error {
	f.seen++
	if f.seen == f.failAt {
		return errSinkFull
	}
	return nil
}

func (*stoppingSink) Reject(int, monitor.RejectReason, error) {}

// panicky is a decoder that panics after some rows.
type panicky struct{}

func (panicky) Decode(_ io.Reader, _ string, sink monitor.Sink) error {
	for i := range 3 * blockLen {
		if err := sink.Incident(&monitor.Incident{ID: fmt.Sprint(i)}); err != nil {
			return err
		}
	}
	panic("broken decoder")
}

// failing is a decoder whose document is unusable after some rows.
type failing struct{}

var errBadDocument = errors.New("bad document")

func (failing) Decode(_ io.Reader, _ string, sink monitor.Sink) error {
	if err := sink.Incident(&monitor.Incident{ID: "a"}); err != nil {
		return err
	}
	return errBadDocument
}

// TestPipelinedErrors checks that a failing sink stops the decoder with
// the sink's error, after no further incident, and that a decoder's error
// or panic comes back from Decode.
func TestPipelinedErrors(t *testing.T) {
	dec, err := NewCSV(CSVOptions{ID: "id", Time: "time", Lat: "lat", Lon: "lon"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sink fails", func(t *testing.T) {
		s := &stoppingSink{failAt: blockLen + 10}
		err := Pipelined(dec).Decode(strings.NewReader(pipelineDoc(20*blockLen)), "doc.csv", s)
		if !errors.Is(err, errSinkFull) {
			t.Fatalf("got %v, want the sink's error", err)
		}
		if s.seen != s.failAt {
			t.Errorf("sink saw %d incidents, want none after the failing %d", s.seen, s.failAt)
		}
	})
	t.Run("decoder fails", func(t *testing.T) {
		var c callLog
		if err := Pipelined(failing{}).Decode(strings.NewReader(""), "doc", &c); !errors.Is(err, errBadDocument) {
			t.Fatalf("got %v, want the decoder's error", err)
		}
		if len(c.calls) != 1 {
			t.Errorf("sink saw %d calls, want the 1 made before the error", len(c.calls))
		}
	})
	t.Run("decoder panics", func(t *testing.T) {
		var c callLog
		err := Pipelined(panicky{}).Decode(strings.NewReader(""), "doc", &c)
		if err == nil || !strings.Contains(err.Error(), "panic in decoder: broken decoder") {
			t.Fatalf("got %v, want the panic as an error", err)
		}
	})
}
