package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// replayProgress shows a long replay's progress on a terminal: rows read,
// rows/s and the time left, estimated from the bytes of the files read so
// far. It writes nothing when its writer is not a terminal.
type replayProgress struct {
	rows  atomic.Int64
	read  atomic.Int64 // bytes of the files read
	total int64        // bytes of all the files
	start time.Time

	stop chan struct{}
	wg   sync.WaitGroup
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// startProgress returns a progress over files, redrawn on w every second
// until Stop, or nil when w is not a terminal. A nil progress counts
// nothing and wraps nothing.
func startProgress(w io.Writer, files []string) *replayProgress {
	if !isTerminal(w) {
		return nil
	}
	p := &replayProgress{start: time.Now(), stop: make(chan struct{})}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			p.total += fi.Size()
		}
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-tick.C:
				fmt.Fprint(w, "\r"+progressLine(p.rows.Load(), p.read.Load(), p.total, time.Since(p.start))+"\x1b[K")
			}
		}
	}()
	return p
}

// Stop clears the progress line.
func (p *replayProgress) Stop() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
}

// progressLine says how far a replay is: rows, rows/s, share of the bytes
// read and the time left at the pace so far.
func progressLine(rows, read, total int64, took time.Duration) string {
	secs := took.Seconds()
	s := fmt.Sprintf("replay: %d rows", rows)
	if secs > 0 {
		s += fmt.Sprintf(", %.0f rows/s", float64(rows)/secs)
	}
	if total <= 0 || read <= 0 {
		return s
	}
	s += fmt.Sprintf(", %.0f%% read", 100*float64(min(read, total))/float64(total))
	left := time.Duration(float64(took) * float64(max(total-read, 0)) / float64(read))
	return s + ", about " + left.Round(time.Second).String() + " left"
}

// decoder counts the rows dec yields.
func (p *replayProgress) decoder(dec monitor.Decoder) monitor.Decoder {
	if p == nil {
		return dec
	}
	return countingDecoder{dec, p}
}

// reader counts the bytes read from r.
func (p *replayProgress) reader(r io.ReadCloser) io.ReadCloser {
	if p == nil {
		return r
	}
	return countingReader{r, p}
}

type countingDecoder struct {
	dec monitor.Decoder
	p   *replayProgress
}

func (d countingDecoder) Decode(r io.Reader, name string, sink monitor.Sink) error {
	return d.dec.Decode(r, name, countingSink{sink, d.p})
}

type countingSink struct {
	monitor.Sink
	p *replayProgress
}

func (s countingSink) Incident(inc *monitor.Incident) error {
	s.p.rows.Add(1)
	return s.Sink.Incident(inc)
}

func (s countingSink) Reject(line int, reason monitor.RejectReason, err error) {
	s.p.rows.Add(1)
	s.Sink.Reject(line, reason, err)
}

type countingReader struct {
	io.ReadCloser
	p *replayProgress
}

func (r countingReader) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	r.p.read.Add(int64(n))
	return n, err
}
