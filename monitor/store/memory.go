package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// Memory is an in-memory monitor.Store with the semantics of DB: incidents
// are deduplicated by (source, id), a batch is applied wholly or not at all,
// and cursors, totals, days and recent violations read the same. Nothing
// survives the process; it serves dry runs.
//
// To stay small for millions of incidents it keeps few incident fields: a
// 128-bit hash of (source, id) and a 64-bit hash of the content per
// incident, about 48 bytes each, and for judging (monitor.JudgingStore)
// the identity, event time, place, category and zones, about 150 bytes
// more; two distinct incidents collide with probability below n²/2¹²⁹, so
// never in practice. Violations, cursors and state are kept whole.
//
// All methods are safe for concurrent use; Commit holds an exclusive lock
// for the duration of one batch. Close releases the memory; calls after
// Close fail.
type Memory struct {
	seeds [2]maphash.Seed

	mu         sync.RWMutex
	closed     bool
	ids        map[[2]uint64]uint64 // → content hash; deletedContent once deleted
	violations []monitor.Violation
	totals     map[alerts.Key]*monitor.ViolationTotal
	days       map[monitor.ViolationDay]struct{}
	cursors    map[string]map[string]string
	state      map[string][]byte
	log        *evidence.MemoryStorage // the evidence log
	judging    memoryJudging
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{
		seeds:   [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		ids:     make(map[[2]uint64]uint64),
		totals:  make(map[alerts.Key]*monitor.ViolationTotal),
		days:    make(map[monitor.ViolationDay]struct{}),
		cursors: make(map[string]map[string]string),
		state:   make(map[string][]byte),
		log:     new(evidence.MemoryStorage),
		judging: newMemoryJudging(),
	}
}

// errClosed is returned by every Memory method called after Close.
var errClosed = errors.New("store is closed")

// key returns the 128-bit identity hash of (source, id). The zero byte
// separates the parts so that ("ab", "c") and ("a", "bc") differ.
func (*Memory) key(h *[2]maphash.Hash, source, id string) [2]uint64 {
	var k [2]uint64
	for i := range h {
		h[i].Reset()
		h[i].WriteString(source)
		h[i].WriteByte(0)
		h[i].WriteString(id)
		k[i] = h[i].Sum64()
	}
	return k
}

// Commit applies b with the semantics of DB.Commit. A cancelled ctx or an
// invalid batch leaves the store unchanged.
func (m *Memory) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	if err := checkBatch(b); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	var h [2]maphash.Hash
	for i := range h {
		h[i].SetSeed(m.seeds[i])
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, errClosed)
	}
	if err := ctx.Err(); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	// Nothing below can fail, so the batch is applied wholly.
	var res monitor.CommitResult
	var logged []int              // items stored new or revised, for the evidence log
	var added []monitor.Violation // by revisions
	inBatch := make(map[[2]uint64]bool, len(b.Items))
	for i := range b.Items {
		it := &b.Items[i]
		k := m.key(&h, b.Source, it.Incident.ID)
		content := contentHash(&h[0], &it.Incident)
		stored, known := m.ids[k]
		switch {
		case inBatch[k] || (known && stored == content):
			res.Duplicate++
			inBatch[k] = true // a later item with this id is a repeat, as in DB
			continue
		case known:
			res.Revised++
			m.judging.uncount(k, stored == deletedContent)
			m.judging.count(k, it, b.Source)
			m.ids[k] = content
			inBatch[k] = true
			logged = append(logged, i)
			added = append(added, m.revise(&res, it, b.Source)...)
			continue
		}
		m.ids[k] = content
		inBatch[k] = true
		logged = append(logged, i)
		m.judging.count(k, it, b.Source)
		res.New++
		start := len(res.Violations)
		res.Violations = uniqueViolations(res.Violations, it, b.Source)
		for _, v := range res.Violations[start:] {
			m.add(v)
		}
	}
	res.Violations = append(res.Violations, added...)
	for _, id := range b.Deleted {
		k := m.key(&h, b.Source, id)
		if c, ok := m.ids[k]; ok && c != deletedContent {
			m.judging.uncount(k, false)
			m.ids[k] = deletedContent
			res.Deleted++
			m.revise(&res, &monitor.Item{Incident: monitor.Incident{Source: b.Source, ID: id}}, b.Source) // adds none
		}
	}
	m.setTiers(b.Source, b.Tiers)
	if b.CursorKey != "" {
		c := m.cursors[b.Source]
		if c == nil {
			c = make(map[string]string)
			m.cursors[b.Source] = c
		}
		c[b.CursorKey] = b.CursorValue
	}
	// checkBatch refused what cannot be encoded, so this cannot fail.
	if _, err := evidence.Append(m.log, batchLeaves(b, logged, &res)...); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	return res, nil
}

// AppendEvidence appends leaves to the evidence log, as DB.AppendEvidence.
func (m *Memory) AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, fmt.Errorf("append evidence: %w", errClosed)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("append evidence: %w", err)
	}
	return evidence.Append(m.log, leaves...)
}

// Evidence returns the evidence log, as DB.Evidence; it may be written
// only through the store.
func (m *Memory) Evidence(_ context.Context) evidence.Storage {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return new(evidence.MemoryStorage)
	}
	return m.log
}

// add records one new violation. m.mu must be held for writing.
func (m *Memory) add(v monitor.Violation) {
	m.violations = append(m.violations, v)
	k := v.Key()
	t := m.totals[k]
	if t == nil {
		t = &monitor.ViolationTotal{Trial: v.Trial, ZoneID: v.ZoneID, Category: v.Category}
		m.totals[k] = t
	}
	if v.Placement == monitor.Ambiguous {
		t.Ambiguous++
		return
	}
	t.Count++
	if v.OccurredAt.After(t.Last) {
		t.Last = v.OccurredAt
	}
	m.days[monitor.ViolationDay{Trial: v.Trial, ZoneID: v.ZoneID, Day: v.Day}] = struct{}{}
}

// Cursors returns a copy of the cursors of source; empty, not nil, when
// there are none.
func (m *Memory) Cursors(_ context.Context, source string) (map[string]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read cursors of source %q: %w", source, errClosed)
	}
	out := make(map[string]string, len(m.cursors[source]))
	for k, v := range m.cursors[source] {
		out[k] = v
	}
	return out, nil
}

// Totals returns the violation counts ordered like DB.Totals.
func (m *Memory) Totals(_ context.Context) ([]monitor.ViolationTotal, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read violation totals: %w", errClosed)
	}
	return sortedTotals(m.totals), nil
}

// sortedTotals returns copies of the totals ordered by trial, zone_id and
// category.
func sortedTotals(totals map[alerts.Key]*monitor.ViolationTotal) []monitor.ViolationTotal {
	out := make([]monitor.ViolationTotal, 0, len(totals))
	for _, t := range totals {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b monitor.ViolationTotal) int {
		return cmp.Or(cmp.Compare(a.Trial, b.Trial), cmp.Compare(a.ZoneID, b.ZoneID), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// Days returns the violation days ordered like DB.Days.
func (m *Memory) Days(_ context.Context) ([]monitor.ViolationDay, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read violation days: %w", errClosed)
	}
	var out []monitor.ViolationDay
	for d := range m.days {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b monitor.ViolationDay) int {
		return cmp.Or(cmp.Compare(a.Trial, b.Trial), cmp.Compare(a.ZoneID, b.ZoneID), cmp.Compare(a.Day, b.Day))
	})
	return out, nil
}

// Recent returns up to limit violations ordered like DB.Recent. It scans
// every stored violation, which is fine for the dry runs Memory serves.
func (m *Memory) Recent(_ context.Context, limit int) ([]monitor.Violation, error) {
	if limit <= 0 {
		return nil, nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read recent violations: %w", errClosed)
	}
	return newest(m.violations, limit), nil
}

// IncidentCount returns the number of distinct incidents committed.
func (m *Memory) IncidentCount(_ context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return 0, fmt.Errorf("count incidents: %w", errClosed)
	}
	return int64(len(m.ids)), nil
}

// PutState stores a copy of value under key, replacing any previous value.
func (m *Memory) PutState(_ context.Context, key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("store state %q: %w", key, errClosed)
	}
	m.state[key] = append([]byte{}, value...)
	return nil
}

// GetState returns a copy of the value stored under key and whether there
// was one.
func (m *Memory) GetState(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, false, fmt.Errorf("read state %q: %w", key, errClosed)
	}
	v, ok := m.state[key]
	if !ok {
		return nil, false, nil
	}
	return append([]byte{}, v...), true, nil
}

// Close drops everything the store holds.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.ids, m.violations, m.totals, m.days, m.cursors, m.state = nil, nil, nil, nil, nil, nil
	m.log = new(evidence.MemoryStorage)
	m.judging = memoryJudging{}
	return nil
}

// newest returns the limit newest of vs (by event time, ties by trial, zone,
// source, incident), newest first. It walks vs from its end, where the newest
// usually are since violations arrive roughly in time order, and keeps the
// best candidates as indexes in a short sorted list.
func newest(vs []monitor.Violation, limit int) []monitor.Violation {
	best := make([]int, 0, min(limit, len(vs))+1)
	order := func(i, j int) int { return recentOrder(&vs[i], &vs[j]) }
	for i := len(vs) - 1; i >= 0; i-- {
		if len(best) == limit && order(i, best[len(best)-1]) >= 0 {
			continue
		}
		at, _ := slices.BinarySearchFunc(best, i, order)
		best = slices.Insert(best, at, i)
		if len(best) > limit {
			best = best[:limit]
		}
	}
	out := make([]monitor.Violation, len(best))
	for k, i := range best {
		out[k] = vs[i]
	}
	return out
}

// recentOrder orders violations newest first, then by trial, zone, source
// and incident, like the ORDER BY of DB.Recent.
func recentOrder(a, b *monitor.Violation) int {
	return cmp.Or(
		b.OccurredAt.Compare(a.OccurredAt),
		cmp.Compare(a.Trial, b.Trial),
		cmp.Compare(a.ZoneID, b.ZoneID),
		cmp.Compare(a.Source, b.Source),
		cmp.Compare(a.IncidentID, b.IncidentID),
	)
}

// Both stores satisfy the interface.
var (
	_ monitor.Store = (*DB)(nil)
	_ monitor.Store = (*Memory)(nil)
)
