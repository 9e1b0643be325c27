package monitor

import (
	"context"
	"fmt"
	"time"
)

// CountStats says what counting a document did.
type CountStats struct {
	Rows     int // records read: incidents decoded plus rejected
	Rejected int
	Located  int // incidents inside at least one zone
}

// Counter aggregates the daily counts of decoded documents without storing
// their incidents: a counts-only replay of an archive, whose history the
// background needs but whose incidents no trial does. Not safe for
// concurrent use.
type Counter struct {
	ev     *Evaluator
	now    func() time.Time
	counts map[DailyCount]int64 // keys have Count 0
	scr    scratch
}

// NewCounter returns an empty counter over the zones of ev, admitting
// incidents as ev does at now.
func NewCounter(ev *Evaluator, now func() time.Time) *Counter {
	return &Counter{ev: ev, now: now, counts: map[DailyCount]int64{}}
}

// Count decodes doc with dec as incidents of source and adds each one to
// the counts of the zones it lies in. Incidents the evaluator does not
// admit (event time in the future) and records the decoder rejects are
// counted as rejected.
func (c *Counter) Count(ctx context.Context, source string, dec Decoder, doc Document) (CountStats, error) {
	rc, err := doc.Open()
	if err != nil {
		return CountStats{}, fmt.Errorf("open %s: %w", doc.Key, err)
	}
	defer rc.Close()
	rd, err := Decompress(rc)
	if err != nil {
		return CountStats{}, fmt.Errorf("read %s: %w", doc.Key, err)
	}
	s := &countSink{ctx: ctx, c: c, source: source}
	if err := dec.Decode(rd, doc.Key, s); err != nil {
		return s.stats, fmt.Errorf("decode %s: %w", doc.Key, err)
	}
	return s.stats, nil
}

// Counts returns the counts aggregated so far.
func (c *Counter) Counts() []DailyCount {
	out := make([]DailyCount, 0, len(c.counts))
	for k, n := range c.counts {
		k.Count = n
		out = append(out, k)
	}
	return out
}

type countSink struct {
	ctx    context.Context
	c      *Counter
	source string
	stats  CountStats
}

func (s *countSink) Incident(inc *Incident) error {
	s.stats.Rows++
	if s.stats.Rows%65536 == 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	c := s.c
	if reason, _ := c.ev.Admit(inc, c.now()); reason != "" {
		s.stats.Rejected++
		return nil
	}
	ix := c.ev.IndexAt(inc.OccurredAt) // the zones as they were then
	if ix == nil {
		return nil
	}
	c.scr.inside = ix.Locate(inc.Lon, inc.Lat, c.scr.inside[:0])
	if len(c.scr.inside) == 0 {
		return nil
	}
	s.stats.Located++
	day := DayOf(inc.OccurredAt)
	for _, z := range c.scr.inside {
		c.counts[DailyCount{ZoneID: ix.Zones()[z].ID, Source: s.source, Category: inc.Category, Day: day}]++
	}
	return nil
}

func (s *countSink) Reject(int, RejectReason, error) {
	s.stats.Rows++
	s.stats.Rejected++
}
