package ingest

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/ceasefired/ceasefired/monitor"
)

// Pipelined returns a decoder that runs dec on a goroutine of its own and
// hands its incidents and rejects to the sink in their order, in blocks of
// a few hundred, so that decoding the next part of a document overlaps
// evaluating and storing the part before: two cores for one document.
//
// The sink sees exactly the calls dec makes, in the same order, on the
// goroutine that called Decode. When the sink returns an error, decoding
// stops and Decode returns that error once dec has returned; a panic in
// dec is returned as an error. Decode does not return before dec has
// stopped reading r.
func Pipelined(dec monitor.Decoder) monitor.Decoder { return pipelined{dec} }

type pipelined struct{ dec monitor.Decoder }

// blockLen is the number of records per block handed between goroutines:
// enough to make the hand-over rare, few enough to stay in cache.
const blockLen = 512

// record is one Sink call: an incident, or a reject.
type record struct {
	inc    monitor.Incident
	reject bool
	line   int
	reason monitor.RejectReason
	err    error
}

// errStopped tells the decoder goroutine that the sink has failed.
var errStopped = errors.New("sink stopped")

// Decode implements monitor.Decoder.
func (p pipelined) Decode(r io.Reader, name string, sink monitor.Sink) error {
	full := make(chan []record, 2)
	free := make(chan []record, 3)
	done := make(chan struct{})
	var decErr error
	go func() {
		defer close(full)
		defer func() {
			if v := recover(); v != nil {
				decErr = fmt.Errorf("%s: panic in decoder: %v\n%s", name, v, debug.Stack())
			}
		}()
		bs := &blockSink{full: full, free: free, done: done}
		// What was decoded before an error or panic reaches the sink,
		// as it would without the pipeline.
		defer func() { _ = bs.flush() }()
		decErr = p.dec.Decode(r, name, bs)
	}()
	var sinkErr error
	for block := range full {
		for i := 0; i < len(block) && sinkErr == nil; i++ {
			rec := &block[i]
			if rec.reject {
				sink.Reject(rec.line, rec.reason, rec.err)
				continue
			}
			if sinkErr = sink.Incident(&rec.inc); sinkErr != nil {
				close(done)
			}
		}
		select {
		case free <- block[:0]:
		default:
		}
	}
	if sinkErr != nil {
		return sinkErr
	}
	return decErr
}

// blockSink is the sink the decoder goroutine fills blocks through.
type blockSink struct {
	full  chan<- []record
	free  <-chan []record
	done  <-chan struct{}
	block []record
	made  int // blocks made so far
}

func (b *blockSink) Incident(inc *monitor.Incident) error {
	if b.block == nil {
		b.block = b.next()
	}
	b.block = append(b.block, record{inc: *inc})
	if len(b.block) == blockLen {
		return b.flush()
	}
	return nil
}

func (b *blockSink) Reject(line int, reason monitor.RejectReason, err error) {
	if b.block == nil {
		b.block = b.next()
	}
	b.block = append(b.block, record{reject: true, line: line, reason: reason, err: err})
	if len(b.block) == blockLen {
		// A reject cannot stop the decoder; the next incident will.
		_ = b.flush()
	}
}

// maxBlocks is the number of blocks a document's pipeline circulates: one
// being filled, two waiting (full's capacity) and one being read. The
// decoder waits for a block read rather than making a fifth, so that a
// document costs four blocks, not one per hand-over the reader lags.
const maxBlocks = 4

// next returns an empty block, reusing one the consumer has finished with,
// and waits for one once maxBlocks are made.
func (b *blockSink) next() []record {
	if b.made < maxBlocks {
		select {
		case block := <-b.free:
			return block
		default:
			b.made++
			return make([]record, 0, blockLen)
		}
	}
	select {
	case block := <-b.free:
		return block
	case <-b.done:
		// The sink has failed; flush will say so.
		return make([]record, 0, blockLen)
	}
}

// flush hands the current block to the consumer, or reports errStopped
// once the sink has failed.
func (b *blockSink) flush() error {
	if len(b.block) == 0 {
		return nil
	}
	select {
	case b.full <- b.block:
		b.block = nil
		return nil
	case <-b.done:
		b.block = nil
		return errStopped
	}
}
