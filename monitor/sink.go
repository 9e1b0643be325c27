package monitor

import (
	"context"
	"fmt"
	"time"
)

// batchSink is the Sink one document is decoded into.
type batchSink struct {
	ctx    context.Context
	r      *Runner
	source string
	ev     *Evaluator
	// retryWindow is how long a failed commit may be retried (0: never).
	retryWindow time.Duration
	scr         scratch
	items       []Item
	// vbuf and zbuf back the violations and zone ids of the items of the
	// batch being built; a store keeps nothing of a batch once Commit
	// returns, so the next batch reuses them.
	vbuf    []Violation
	zbuf    []string
	stats   DocStats
	pending map[RejectReason]int // rejected since the last batch was handed on
	// flight is the full batch being committed in the background while the
	// next is built, if any (RunnerOptions.CommitBehind); spare holds the
	// buffers of the one before it, free to build the next but one.
	// Batches are committed one at a time, in order.
	flight *inFlight
	spare  sinkBuffers

	// Progress, kept for a document with a cursor (doc not nil).
	doc      *Document
	prev     string        // the document's cursor before this ingest
	digest   *recordDigest // of the records so far
	records  int           // records the decoder has delivered
	skip     int           // records an earlier ingest stored, not stored again
	skipSum  uint64        // their digest, as stored
	mismatch bool          // the records skipped are not those stored
}

// next counts one record, already added to the digest, and reports
// whether an earlier ingest stored it, so that it is skipped. On the last
// such record it checks the digest.
func (s *batchSink) next() (skip bool) {
	s.records++
	if s.records > s.skip {
		return false
	}
	if s.records == s.skip && s.digest.sum() != s.skipSum {
		s.mismatch = true
	}
	s.stats.Skipped++
	return true
}

func (s *batchSink) Incident(inc *Incident) error {
	if s.mismatch {
		return errResumeMismatch
	}
	if s.digest != nil {
		s.digest.incident(inc)
		if s.next() {
			if s.mismatch {
				return errResumeMismatch
			}
			return nil
		}
	}
	if y := inc.OccurredAt.Year(); y < 1900 || y > 2200 {
		// The decoders reject these; this guard keeps one that does not
		// from making the store refuse the whole document.
		s.reject(0, ReasonBadTime, fmt.Errorf("event time %s outside 1900..2200", inc.OccurredAt))
		return nil
	}
	if reason, err := s.ev.Admit(inc, s.r.o.Now()); reason != "" {
		s.reject(0, reason, err)
		return nil
	}
	s.stats.Rows++
	s.items = append(s.items, Item{Incident: *inc})
	it := &s.items[len(s.items)-1]
	it.Incident.Source = s.source
	vstart, zstart := len(s.vbuf), len(s.zbuf)
	s.vbuf, s.zbuf = s.ev.evaluateWithZones(&it.Incident, s.vbuf, s.zbuf, &s.scr)
	if len(s.vbuf) > vstart {
		it.Violations = s.vbuf[vstart:len(s.vbuf):len(s.vbuf)]
	}
	if len(s.zbuf) > zstart {
		it.Zones = s.zbuf[zstart:len(s.zbuf):len(s.zbuf)]
	}
	if len(s.items) >= s.r.o.BatchSize {
		b := &Batch{Source: s.source, Items: s.items}
		if s.doc != nil {
			b.CursorKey = s.doc.Key
			b.CursorValue = progress{prev: s.prev, cursor: s.doc.Cursor, records: s.records, sum: s.digest.sum()}.String()
		}
		if s.r.o.CommitBehind {
			return s.commitBehind(b)
		}
		if err := s.commit(b); err != nil {
			return err
		}
		s.items = s.items[:0]
		clear(s.vbuf) // drop the strings they hold
		clear(s.zbuf)
		s.vbuf, s.zbuf = s.vbuf[:0], s.zbuf[:0]
	}
	return nil
}

// sinkBuffers are the buffers a batch is built in.
type sinkBuffers struct {
	items []Item
	vbuf  []Violation
	zbuf  []string
}

// inFlight is a batch committed in the background.
type inFlight struct {
	done chan struct{}
	err  error // once done is closed
	bufs sinkBuffers
}

// commitBehind hands b, built in the sink's buffers, to a goroutine that
// commits it while the sink builds the next batch in its spare buffers,
// after waiting for the batch before to be committed. A failure to commit
// b is returned by the next wait (the next commitBehind, commit or
// settle), and nothing after b is committed.
func (s *batchSink) commitBehind(b *Batch) error {
	if err := s.settle(); err != nil {
		return err
	}
	f := &inFlight{done: make(chan struct{}), bufs: sinkBuffers{s.items, s.vbuf, s.zbuf}}
	pending := s.pending
	s.pending = make(map[RejectReason]int, len(pending))
	s.items, s.vbuf, s.zbuf = s.spare.items, s.spare.vbuf, s.spare.zbuf
	s.spare = sinkBuffers{}
	s.flight = f
	go func() {
		defer close(f.done)
		f.err = s.commitCounting(b, pending)
	}()
	return nil
}

// settle waits for the batch in flight, if any, and returns its error;
// its buffers become the spare ones. The sink's stats are whole only once
// it has returned.
func (s *batchSink) settle() error {
	f := s.flight
	if f == nil {
		return nil
	}
	<-f.done
	s.flight = nil
	clear(f.bufs.vbuf) // drop the strings they hold
	clear(f.bufs.zbuf)
	s.spare = sinkBuffers{f.bufs.items[:0], f.bufs.vbuf[:0], f.bufs.zbuf[:0]}
	return f.err
}

func (s *batchSink) Reject(line int, reason RejectReason, err error) {
	if s.mismatch {
		return
	}
	if s.digest != nil {
		s.digest.reject(line, reason)
		if s.next() {
			return
		}
	}
	s.reject(line, reason, err)
}

func (s *batchSink) reject(line int, reason RejectReason, err error) {
	s.stats.Rows++
	s.pending[reason]++
	s.r.log.Debug("rejected record", "feed", s.source, "line", line, "reason", reason, "err", err)
}

// commit stores b, after the batch in flight, trying again after a
// failure as RunnerOptions.RetryBackoff says, and accounts for what it
// stored.
func (s *batchSink) commit(b *Batch) error {
	if err := s.settle(); err != nil {
		return err
	}
	err := s.commitCounting(b, s.pending)
	clear(s.pending) // counted, or the document failed
	return err
}

// commitCounting is commit with the rejected rows, by reason, that b
// follows, counted once it is stored.
func (s *batchSink) commitCounting(b *Batch, rejected map[RejectReason]int) error {
	if len(b.Items) == 0 && b.CursorKey == "" && len(b.Deleted) == 0 && b.Fetched == nil {
		s.countRejects(rejected) // nothing to store, nothing to lose
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	var applyErr error
	rt := s.r.newRetrier(s.retryWindow)
	err := s.r.retry(s.ctx, rt, "commit", s.source, commitRetryable, func() error {
		// The tally must follow commits in their order: a recount after
		// retractions must not race another source's Add. The lock is not
		// held while waiting to retry.
		s.r.commitMu.Lock()
		defer s.r.commitMu.Unlock()
		j, err := s.r.judgeBatch(s.ctx, b)
		if err != nil {
			return fmt.Errorf("judge batch: %w", err)
		}
		res, err := s.r.o.Store.Commit(s.ctx, b)
		if err != nil {
			if s.r.judging != nil {
				s.r.judging.stale = true
			}
			return fmt.Errorf("store batch: %w", err)
		}
		applyErr = s.apply(&res, j, rejected)
		return nil
	})
	if err != nil {
		return err
	}
	return applyErr
}

// apply counts what a commit stored, and the rows rejected before it, and
// tells the tally and the hooks, j being what judging the batch found. The
// caller holds commitMu.
func (s *batchSink) apply(res *CommitResult, j judged, rejected map[RejectReason]int) error {
	s.countRejects(rejected)
	s.stats.New += res.New
	s.stats.Duplicate += res.Duplicate
	s.stats.Revised += res.Revised + res.Deleted
	s.stats.Violations += len(res.Violations)
	for i := range res.Violations {
		switch res.Violations[i].Placement {
		case Inside:
			s.stats.Inside++
		case Buffer:
			s.stats.Buffer++
		case Ambiguous:
			s.stats.Ambiguous++
		}
	}
	if c := s.r.judging; c != nil {
		for i := range res.Violations {
			v := &res.Violations[i]
			v.Tier = c.tier(v.Trial, v.Source, v.IncidentID)
		}
		for i := range res.Retracted {
			v := &res.Retracted[i]
			v.Tier = j.before[[3]string{v.Trial, v.Source, v.IncidentID}]
		}
	}
	s.stats.Retracted += len(res.Retracted)
	s.r.metrics.ingested.WithLabelValues(s.source).Add(float64(res.New))
	s.r.metrics.duplicate.WithLabelValues(s.source).Add(float64(res.Duplicate))
	s.r.metrics.revised.WithLabelValues(s.source).Add(float64(res.Revised + res.Deleted))
	if len(res.Retracted) > 0 {
		// Days and newest times cannot be taken back one by one: read
		// them again from the store, which has just settled them.
		if !s.r.o.NoTally {
			if err := s.r.tally.Restore(s.ctx, s.r.o.Store); err != nil {
				return fmt.Errorf("recount after retractions: %w", err)
			}
		}
		if s.r.o.OnRetractions != nil {
			s.r.o.OnRetractions(res.Retracted)
		}
	} else if !s.r.o.NoTally {
		s.r.tally.Add(res.Violations)
	}
	if s.r.o.OnViolations != nil && len(res.Violations) > 0 {
		s.r.o.OnViolations(res.Violations)
	}
	if s.r.o.OnPromotions != nil && len(j.promoted) > 0 {
		vs, err := s.r.promotedViolations(s.ctx, j.promoted, res)
		if err != nil {
			return fmt.Errorf("read promoted violations: %w", err)
		}
		if len(vs) > 0 {
			s.r.o.OnPromotions(vs)
		}
	}
	return nil
}

// countRejects counts rows rejected, by reason, before the batch just
// stored, which holds the rows after them: a row is counted once even when
// an interrupted document is read again.
func (s *batchSink) countRejects(rejected map[RejectReason]int) {
	for reason, n := range rejected {
		s.stats.Rejected[reason] += n
		s.r.metrics.rejected.WithLabelValues(s.source, string(reason)).Add(float64(n))
	}
}
