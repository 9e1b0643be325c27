package monitor

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// DocStats counts what ingesting one document did.
type DocStats struct {
	Rows      int // records read: incidents decoded plus rejected
	Rejected  map[RejectReason]int
	New       int // incidents stored for the first time
	Duplicate int // incidents already stored, same content
	Revised   int // incidents stored with new content, or deleted
	// Violations is the number of violations newly stored, of every
	// placement; Inside, Buffer and Ambiguous split it. Ambiguous ones are
	// recorded but not counted as violations by the metrics.
	Violations int
	Inside     int
	Buffer     int
	Ambiguous  int
	Retracted  int // violations withdrawn by revisions and deletions
	// Skipped counts records an earlier, interrupted ingest of the same
	// document stored, read again but not stored again; they are not in
	// Rows.
	Skipped int
}

// RejectedTotal returns the number of rejected records.
func (s *DocStats) RejectedTotal() int {
	n := 0
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

// Add adds o to s.
func (s *DocStats) Add(o DocStats) {
	s.Rows += o.Rows
	s.New += o.New
	s.Duplicate += o.Duplicate
	s.Revised += o.Revised
	s.Violations += o.Violations
	s.Inside += o.Inside
	s.Buffer += o.Buffer
	s.Ambiguous += o.Ambiguous
	s.Retracted += o.Retracted
	s.Skipped += o.Skipped
	for r, n := range o.Rejected {
		if s.Rejected == nil {
			s.Rejected = map[RejectReason]int{}
		}
		s.Rejected[r] += n
	}
}

// Reasons returns the reject reasons in s, sorted.
func (s *DocStats) Reasons() []RejectReason {
	out := make([]RejectReason, 0, len(s.Rejected))
	for r := range s.Rejected {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Ingest decodes one document of source with dec, evaluates every incident
// against the current evaluator and stores incidents, violations and the
// document's cursor (none when doc.Cursor is empty). It stores in
// transactions of BatchSize incidents; the cursor goes with the last. Gzip
// content is detected by its magic bytes and decompressed.
//
// Each batch before the last stores, in the cursor's place, how far the
// document got, when it has a cursor. A fetch that finds the same document
// (same key and cursor) stored in part resumes after the last stored batch:
// its records are decoded again but not stored again, once a digest of
// them shows they are the records stored before. If they are not, the
// document is read again from its start, and what was stored of it counts
// as duplicate. Ingest itself (used to replay files) never resumes.
func (r *Runner) Ingest(ctx context.Context, source string, dec Decoder, doc Document) (DocStats, error) {
	return r.ingest(ctx, source, dec, doc, ingestOptions{})
}

// ingestOptions are what a scheduled fetch adds to Ingest.
type ingestOptions struct {
	retryWindow time.Duration // how long a failed commit is retried (0: never)
	prev        string        // the document's cursor before this ingest
	resume      *progress     // the stored progress of the document, if any
}

// ingest is Ingest with the options of a scheduled fetch.
func (r *Runner) ingest(ctx context.Context, source string, dec Decoder, doc Document, o ingestOptions) (DocStats, error) {
	if o.resume != nil && (doc.Cursor == "" || o.resume.cursor != doc.Cursor) {
		o.resume = nil // another version of the document: start over
	}
	st, err := r.ingestOnce(ctx, source, dec, doc, o)
	if errors.Is(err, errResumeMismatch) {
		r.log.Warn("document differs from the part stored before, reading it from its start",
			"feed", source, "document", doc.Key)
		o.resume = nil
		return r.ingestOnce(ctx, source, dec, doc, o)
	}
	return st, err
}

func (r *Runner) ingestOnce(ctx context.Context, source string, dec Decoder, doc Document, o ingestOptions) (DocStats, error) {
	ev := r.evaluator.Load()
	if ev == nil {
		return DocStats{}, fmt.Errorf("ingest %s: no zones and trials loaded", doc.Key)
	}
	rc, err := doc.Open()
	if err != nil {
		return DocStats{}, fmt.Errorf("open %s: %w", doc.Key, err)
	}
	defer rc.Close()
	fetchedAt := r.o.Now()
	h := sha256.New()
	raw := io.TeeReader(rc, h) // the document's bytes as fetched, for the evidence log
	rd, err := Decompress(raw)
	if err != nil {
		return DocStats{}, fmt.Errorf("read %s: %w", doc.Key, err)
	}
	s := &batchSink{ctx: ctx, r: r, source: source, ev: ev, retryWindow: o.retryWindow}
	s.stats.Rejected, s.pending = map[RejectReason]int{}, map[RejectReason]int{}
	if doc.Cursor != "" {
		s.doc, s.prev, s.digest = &doc, o.prev, newRecordDigest()
		if o.resume != nil {
			s.skip, s.skipSum = o.resume.records, o.resume.sum
		}
	}
	err = dec.Decode(rd, doc.Key, s)
	if serr := s.settle(); err == nil {
		err = serr
	}
	if s.mismatch || (err == nil && s.records < s.skip) {
		return DocStats{}, errResumeMismatch
	}
	if err != nil {
		return s.stats, fmt.Errorf("decode %s: %w", doc.Key, err)
	}
	// The decoder may stop before the end (a trailer it ignores): the
	// digest is of the whole document.
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return s.stats, fmt.Errorf("read %s: %w", doc.Key, err)
	}
	f := &Fetched{FetchedAt: fetchedAt, Cursor: doc.Cursor}
	h.Sum(f.SHA256[:0])
	b := Batch{Source: source, Items: s.items, Deleted: doc.Deleted, Fetched: f}
	if doc.Cursor != "" {
		b.CursorKey, b.CursorValue = doc.Key, doc.Cursor
	}
	if err := s.commit(&b); err != nil {
		return s.stats, err
	}
	return s.stats, nil
}

// Decompress returns a reader of r's content: gunzipped when r starts with
// the gzip magic bytes (whatever its name), else r's bytes unchanged.
// Concatenated gzip members are read as one stream. A corrupt gzip header is
// an error; corruption further on surfaces as a read error. Closing r
// remains the caller's job.
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, nil
}

// Submit evaluates and stores incidents that arrived whole, such as field
// reports pushed over HTTP, and counts the items the caller rejected. The
// incidents go through the same sink as a decoded document, so they are
// stored in one transaction when they fit in BatchSize. It records the
// source's last success like a fetch.
func (r *Runner) Submit(ctx context.Context, source string, incs []Incident, rejected map[RejectReason]int) (DocStats, error) {
	ev := r.evaluator.Load()
	if ev == nil {
		return DocStats{}, fmt.Errorf("submit to %s: no zones and trials loaded", source)
	}
	s := &batchSink{ctx: ctx, r: r, source: source, ev: ev, items: make([]Item, 0, len(incs))}
	s.stats.Rejected, s.pending = map[RejectReason]int{}, map[RejectReason]int{}
	for reason, n := range rejected {
		s.pending[reason] += n
		s.stats.Rows += n
	}
	var err error
	for i := 0; i < len(incs) && err == nil; i++ {
		if err = evaluationDeadline(ctx, i, len(incs)); err == nil {
			err = s.Incident(&incs[i])
		}
	}
	if err == nil {
		err = s.commit(&Batch{Source: source, Items: s.items})
	}
	if serr := s.settle(); err == nil { // after a failure, the batch still in flight
		err = serr
	}
	r.recordRun(source, r.o.Now(), err)
	if err == nil {
		r.recordAttempt(ctx, source, true)
	}
	return s.stats, err
}
