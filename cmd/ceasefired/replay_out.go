package main

import (
	"bufio"
	"io"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// lineWriter prints violations as JSON lines on a goroutine of its own, so
// that encoding them overlaps evaluating and storing the next batch. Lines
// come out in the order of the write calls. write and close must be called
// from one goroutine; write hands over vs, which the caller must not change
// afterwards (the runner's OnViolations gets a fresh slice per commit).
type lineWriter struct {
	batches chan []monitor.Violation
	done    chan struct{}
	out     *bufio.Writer
	// recycle, when not nil, is given each batch once it is written.
	recycle func([]monitor.Violation)
}

// newLineWriter starts a writer printing to w.
func newLineWriter(w io.Writer) *lineWriter { return newRecyclingLineWriter(w, nil) }

// newRecyclingLineWriter starts a writer printing to w that hands each
// batch to recycle, when not nil, once written.
func newRecyclingLineWriter(w io.Writer, recycle func([]monitor.Violation)) *lineWriter {
	lw := &lineWriter{
		recycle: recycle,
		// One batch waiting while one is written: each holds up to
		// some thousands of violations of a few hundred bytes.
		batches: make(chan []monitor.Violation, 1),
		done:    make(chan struct{}),
		out:     bufio.NewWriterSize(w, 64<<10),
	}
	go lw.run()
	return lw
}

func (lw *lineWriter) run() {
	defer close(lw.done)
	var enc lineEncoder
	for vs := range lw.batches {
		for i := range vs {
			// The line goes straight into the buffer's free space.
			line, _ := enc.appendLine(lw.out.AvailableBuffer(), &vs[i])
			// out keeps its first write error; close reports it.
			_, _ = lw.out.Write(line)
		}
		if lw.recycle != nil {
			lw.recycle(vs)
		}
	}
}

// lineEncoder appends violations' lines as appendReplayLine does, reusing
// what the line before had in common with the next. Violations come in
// runs of the same trial and zone, and of the same time: the heads, with
// zone names to escape, and the times are formatted once a run.
type lineEncoder struct {
	head   []byte
	last   replayHead
	at     time.Time
	atJSON []byte // at as appendJSONTime writes it; nil: none yet
}

// appendLine appends v's line to dst; see appendReplayLine.
func (e *lineEncoder) appendLine(dst []byte, v *monitor.Violation) ([]byte, bool) {
	if h := headOf(v); e.head == nil || h != e.last {
		e.head, e.last = appendReplayHead(e.head[:0], v), h
	}
	if e.atJSON == nil || v.OccurredAt != e.at {
		var ok bool
		if e.atJSON, ok = appendJSONTime(e.atJSON[:0], v.OccurredAt); !ok {
			e.atJSON = nil
			return dst, false
		}
		e.at = v.OccurredAt
	}
	start := len(dst)
	return appendReplayTailAt(append(dst, e.head...), start, v, e.atJSON)
}

// write queues vs for printing.
func (lw *lineWriter) write(vs []monitor.Violation) { lw.batches <- vs }

// close prints what is queued and returns the first write error.
func (lw *lineWriter) close() error {
	close(lw.batches)
	<-lw.done
	return lw.out.Flush()
}
