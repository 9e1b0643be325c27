package monitor

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"sort"
)

// DocStats counts what ingesting one document did.
type DocStats struct {
	Rows       int // records read: incidents decoded plus rejected
	Rejected   map[RejectReason]int
	New        int // incidents stored for the first time
	Duplicate  int // incidents already stored, same content
	Revised    int // incidents stored with new content, or deleted
	Violations int // violations newly stored
	Retracted  int // violations withdrawn by revisions and deletions
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
	s.Retracted += o.Retracted
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
// transactions of BatchSize incidents; the cursor goes with the last, so an
// interrupted document is read again and its stored part counts as
// duplicate. Gzip content is detected by its magic bytes and decompressed.
func (r *Runner) Ingest(ctx context.Context, source string, dec Decoder, doc Document) (DocStats, error) {
	ev := r.evaluator.Load()
	if ev == nil {
		return DocStats{}, fmt.Errorf("ingest %s: no zones and trials loaded", doc.Key)
	}
	rc, err := doc.Open()
	if err != nil {
		return DocStats{}, fmt.Errorf("open %s: %w", doc.Key, err)
	}
	defer rc.Close()
	rd, err := Decompress(rc)
	if err != nil {
		return DocStats{}, fmt.Errorf("read %s: %w", doc.Key, err)
	}
	s := &batchSink{ctx: ctx, r: r, source: source, ev: ev}
	s.stats.Rejected = map[RejectReason]int{}
	err = dec.Decode(rd, doc.Key, s)
	r.countRejects(source, s.stats.Rejected)
	if err != nil {
		return s.stats, fmt.Errorf("decode %s: %w", doc.Key, err)
	}
	b := Batch{Source: source, Items: s.items, Deleted: doc.Deleted}
	if doc.Cursor != "" {
		b.CursorKey, b.CursorValue = doc.Key, doc.Cursor
	}
	if err := s.commit(&b); err != nil {
		return s.stats, err
	}
	return s.stats, nil
}

func (r *Runner) countRejects(source string, rejected map[RejectReason]int) {
	for reason, n := range rejected {
		r.metrics.rejected.WithLabelValues(source, string(reason)).Add(float64(n))
	}
}

// batchSink is the Sink one document is decoded into.
type batchSink struct {
	ctx    context.Context
	r      *Runner
	source string
	ev     *Evaluator
	scr    scratch
	items  []Item
	stats  DocStats
}

func (s *batchSink) Incident(inc *Incident) error {
	if y := inc.OccurredAt.Year(); y < 1900 || y > 2200 {
		// The decoders reject these; this guard keeps one that does not
		// from making the store refuse the whole document.
		s.Reject(0, ReasonBadTime, fmt.Errorf("event time %s outside 1900..2200", inc.OccurredAt))
		return nil
	}
	if reason, err := s.ev.Admit(inc, s.r.o.Now()); reason != "" {
		s.Reject(0, reason, err)
		return nil
	}
	s.stats.Rows++
	it := Item{Incident: *inc}
	it.Incident.Source = s.source
	it.Violations = s.ev.evaluate(&it.Incident, nil, &s.scr)
	s.items = append(s.items, it)
	if len(s.items) >= s.r.o.BatchSize {
		b := Batch{Source: s.source, Items: s.items}
		if err := s.commit(&b); err != nil {
			return err
		}
		s.items = s.items[:0]
	}
	return nil
}

func (s *batchSink) Reject(line int, reason RejectReason, err error) {
	s.stats.Rows++
	s.stats.Rejected[reason]++
	s.r.log.Debug("rejected record", "feed", s.source, "line", line, "reason", reason, "err", err)
}

func (s *batchSink) commit(b *Batch) error {
	if len(b.Items) == 0 && b.CursorKey == "" && len(b.Deleted) == 0 {
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	// The tally must follow commits in their order: a recount after
	// retractions must not race another source's Add.
	s.r.commitMu.Lock()
	defer s.r.commitMu.Unlock()
	res, err := s.r.o.Store.Commit(s.ctx, b)
	if err != nil {
		return fmt.Errorf("store batch: %w", err)
	}
	s.stats.New += res.New
	s.stats.Duplicate += res.Duplicate
	s.stats.Revised += res.Revised + res.Deleted
	s.stats.Violations += len(res.Violations)
	s.stats.Retracted += len(res.Retracted)
	s.r.metrics.ingested.WithLabelValues(s.source).Add(float64(res.New))
	s.r.metrics.duplicate.WithLabelValues(s.source).Add(float64(res.Duplicate))
	s.r.metrics.revised.WithLabelValues(s.source).Add(float64(res.Revised + res.Deleted))
	if len(res.Retracted) > 0 {
		// Days and newest times cannot be taken back one by one: read
		// them again from the store, which has just settled them.
		if err := s.r.tally.Restore(s.ctx, s.r.o.Store); err != nil {
			return fmt.Errorf("recount after retractions: %w", err)
		}
		if s.r.o.OnRetractions != nil {
			s.r.o.OnRetractions(res.Retracted)
		}
	} else {
		s.r.tally.Add(res.Violations)
	}
	if s.r.o.OnViolations != nil && len(res.Violations) > 0 {
		s.r.o.OnViolations(res.Violations)
	}
	return nil
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
	s.stats.Rejected = map[RejectReason]int{}
	for reason, n := range rejected {
		s.stats.Rejected[reason] += n
		s.stats.Rows += n
	}
	var err error
	for i := 0; i < len(incs) && err == nil; i++ {
		if err = evaluationDeadline(ctx, i, len(incs)); err == nil {
			err = s.Incident(&incs[i])
		}
	}
	r.countRejects(source, s.stats.Rejected)
	if err == nil {
		err = s.commit(&Batch{Source: source, Items: s.items})
	}
	r.recordRun(source, r.o.Now(), err)
	return s.stats, err
}
