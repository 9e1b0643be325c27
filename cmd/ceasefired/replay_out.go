package main

import (
	"bufio"
	"io"

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
}

// newLineWriter starts a writer printing to w.
func newLineWriter(w io.Writer) *lineWriter {
	lw := &lineWriter{
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
	var line, head []byte
	var last replayHead
	for vs := range lw.batches {
		for i := range vs {
			v := &vs[i]
			// Violations come in runs of the same trial and zone: their
			// heads, with zone names to escape, are written once a run.
			if h := headOf(v); head == nil || h != last {
				head, last = appendReplayHead(head[:0], v), h
			}
			line, _ = appendReplayTail(append(line[:0], head...), 0, v)
			// out keeps its first write error; close reports it.
			_, _ = lw.out.Write(line)
		}
	}
}

// write queues vs for printing.
func (lw *lineWriter) write(vs []monitor.Violation) { lw.batches <- vs }

// close prints what is queued and returns the first write error.
func (lw *lineWriter) close() error {
	close(lw.batches)
	<-lw.done
	return lw.out.Flush()
}
