package store

import (
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
)

// DryRun is the monitor.Store of a replay that stores nothing: it says for
// each incident whether it is new, a duplicate or a revision, and which
// violations a revision retracts, exactly as Memory would, but keeps no
// violation and no incident field, so that millions of incidents fit in a
// few tens of megabytes that the garbage collector never scans.
//
// Per incident it keeps a 96-bit hash of (source, id), a 64-bit hash of the
// content and its standing violation packed as a (trial, zone, category)
// number with its placement (several go to a side table): 24 bytes in
// chunks of pointer-free memory, plus 4 to 8 bytes of hash table. Two of n
// distinct incidents collide with probability below n²/2⁹⁷ (10⁻¹⁷ for 1.3
// million), so never in practice.
//
// What it does not keep: Recent and Days return nothing; Totals counts every
// violation, retraction and ambiguous placement exactly, but Last is the
// newest violation ever stored, not recomputed after a retraction; and the
// violations a commit reports as retracted carry the trial, zone, category,
// placement, source and incident id, but no time, day or coordinates.
//
// All methods are safe for concurrent use. Close releases the memory; calls
// after Close fail.
type DryRun struct {
	seeds [2]maphash.Seed

	mu      sync.Mutex
	closed  bool
	ids     idTable
	keys    map[alerts.Key]uint32 // (trial, zone, category) → number
	totals  []monitor.ViolationTotal
	cursors map[string]map[string]string
	// batchKeys holds the identity hashes of the batch being committed.
	batchKeys []idHash
	packed    []packedViolation // pack's result, reused
	lastKey   lastKey
	spare     [][]monitor.Violation // handed back by Recycle
}

// maxSpare is the number of buffers Recycle keeps: the replay has one
// batch's violations being written while the next is committed.
const maxSpare = 4

// Recycle hands back the Violations of a CommitResult of d, which the
// caller no longer reads nor keeps, so that a later Commit fills them
// instead of allocating: a dry run's violations are most of what it
// allocates. Calling it is optional; safe for concurrent use.
func (d *DryRun) Recycle(vs []monitor.Violation) {
	if cap(vs) == 0 {
		return
	}
	vs = vs[:cap(vs)]
	clear(vs) // keeps no incident's strings alive
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.spare) < maxSpare {
		d.spare = append(d.spare, vs[:0])
	}
}

// violationBuffer returns an empty slice with room for n violations, one
// handed back by Recycle when one is large enough. d.mu must be held.
func (d *DryRun) violationBuffer(n int) []monitor.Violation {
	for i, b := range d.spare {
		if cap(b) >= n {
			last := len(d.spare) - 1
			d.spare[i], d.spare[last] = d.spare[last], nil
			d.spare = d.spare[:last]
			return b
		}
	}
	return make([]monitor.Violation, 0, n)
}

// NewDryRun returns an empty DryRun store.
func NewDryRun() *DryRun {
	return &DryRun{
		seeds:   [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		keys:    make(map[alerts.Key]uint32),
		cursors: make(map[string]map[string]string),
	}
}

// Commit applies b with the semantics of Memory.Commit. A cancelled ctx or
// an invalid batch leaves the store unchanged.
func (d *DryRun) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	if err := checkBatch(b); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	if err := checkPlacements(b); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	var h [2]maphash.Hash
	for i := range h {
		h[i].SetSeed(d.seeds[i])
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, errClosed)
	}
	if err := ctx.Err(); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	var res monitor.CommitResult
	nv := 0
	for i := range b.Items {
		nv += len(b.Items[i].Violations)
	}
	res.Violations = d.violationBuffer(nv)
	d.ids.mark()
	d.batchKeys = d.batchKeys[:0]
	for i := range b.Items {
		d.batchKeys = append(d.batchKeys, idKey(&h, b.Source, b.Items[i].Incident.ID))
	}
	d.ids.warm(d.batchKeys)
	var added []monitor.Violation // by revisions
	for i := range b.Items {
		it := &b.Items[i]
		k := d.batchKeys[i]
		content := contentHash(&h[0], &it.Incident)
		n, found := d.ids.lookupOrInsert(k)
		switch {
		case found && (d.ids.inBatch(n) || d.ids.entry(n).content == content):
			res.Duplicate++
			d.ids.touch(n) // a later item with this id is a repeat, as in DB
		case found:
			res.Revised++
			d.ids.touch(n)
			d.ids.entry(n).content = content
			added = append(added, d.revise(&res, d.ids.entry(n), it, b.Source)...)
		default:
			res.New++
			e := d.ids.entry(n)
			e.content = content
			start := len(res.Violations)
			res.Violations = uniqueViolations(res.Violations, it, b.Source)
			d.ids.setViolations(e, d.pack(res.Violations[start:]))
		}
	}
	res.Violations = append(res.Violations, added...)
	for _, id := range b.Deleted {
		if n, found := d.ids.lookup(idKey(&h, b.Source, id)); found && d.ids.entry(n).content != deletedContent {
			e := d.ids.entry(n)
			e.content = deletedContent
			res.Deleted++
			d.revise(&res, e, &monitor.Item{Incident: monitor.Incident{Source: b.Source, ID: id}}, b.Source) // adds none
		}
	}
	if b.CursorKey != "" {
		c := d.cursors[b.Source]
		if c == nil {
			c = make(map[string]string)
			d.cursors[b.Source] = c
		}
		c[b.CursorKey] = b.CursorValue
	}
	return res, nil
}

// idHash is the 96-bit identity hash of (source, id).
type idHash struct {
	a uint64
	b uint32
}

// idKey returns the identity hash of (source, id). The zero byte separates
// the parts so that ("ab", "c") and ("a", "bc") differ.
func idKey(h *[2]maphash.Hash, source, id string) idHash {
	var k [2]uint64
	for i := range h {
		h[i].Reset()
		h[i].WriteString(source)
		h[i].WriteByte(0)
		h[i].WriteString(id)
		k[i] = h[i].Sum64()
	}
	return idHash{k[0], uint32(k[1])}
}

// pack numbers the violations vs, counts them in the totals and returns
// them packed. d.mu must be held.
func (d *DryRun) pack(vs []monitor.Violation) []packedViolation {
	if len(vs) == 0 {
		return nil
	}
	// setViolations copies what it keeps: one buffer serves every call.
	out := d.packed[:0]
	for i := range vs {
		v := &vs[i]
		n := d.keyNumber(v)
		t := &d.totals[n]
		if v.Placement == monitor.Ambiguous {
			t.Ambiguous++
		} else {
			t.Count++
			if v.OccurredAt.After(t.Last) {
				t.Last = v.OccurredAt
			}
		}
		out = append(out, newPackedViolation(n, v.Placement))
	}
	d.packed = out
	return out
}

// keyNumber returns the number of v's (trial, zone, category), numbering
// it if new. The last key is remembered, which spares the map its hashing
// when violations of one key follow each other.
func (d *DryRun) keyNumber(v *monitor.Violation) uint32 {
	if l := &d.lastKey; l.ok && l.trial == v.Trial && l.zone == v.ZoneID && l.category == v.Category {
		return l.n
	}
	n, ok := d.keys[v.Key()]
	if !ok {
		n = uint32(len(d.totals))
		d.keys[v.Key()] = n
		d.totals = append(d.totals, monitor.ViolationTotal{Trial: v.Trial, ZoneID: v.ZoneID, Category: v.Category})
	}
	d.lastKey = lastKey{trial: v.Trial, zone: v.ZoneID, category: v.Category, n: n, ok: true}
	return n
}

// lastKey is the key keyNumber numbered last.
type lastKey struct {
	trial, zone string
	category    monitor.Category
	n           uint32
	ok          bool
}

// revise settles the violations of a revised (or, with no violations,
// deleted) incident like Memory.revise: standing violations the item does
// not produce with the same category and placement are retracted, the
// others kept, and new ones added. It appends the retracted ones to
// res.Retracted, by trial and zone as DB reads them, and returns the added
// ones, which a commit reports after those of its new incidents, as DB
// does. d.mu must be held.
func (d *DryRun) revise(res *monitor.CommitResult, e *idEntry, it *monitor.Item, source string) (added []monitor.Violation) {
	next := uniqueViolations(nil, it, source)
	type was struct {
		v monitor.Violation
		t *monitor.ViolationTotal
	}
	olds := d.ids.violations(e)
	stood := make([]was, len(olds))
	for i, p := range olds {
		t := &d.totals[p.key()]
		stood[i] = was{monitor.Violation{Trial: t.Trial, ZoneID: t.ZoneID, Category: t.Category,
			Source: source, IncidentID: it.Incident.ID, Placement: p.placement()}, t}
	}
	slices.SortFunc(stood, func(a, b was) int { return byTrialZone(a.v, b.v) })
	var standing []monitor.Violation
	for _, w := range stood {
		old, t := w.v, w.t
		kept := false
		for i, n := range next {
			if n.Trial == old.Trial && n.ZoneID == old.ZoneID {
				if n.Category == old.Category && n.Placement == old.Placement {
					standing = append(standing, n)
					next = append(next[:i], next[i+1:]...)
					kept = true
				}
				break
			}
		}
		if !kept {
			res.Retracted = append(res.Retracted, old)
			if old.Placement != monitor.Ambiguous {
				t.Retracted++
			}
		}
	}
	packed := d.pack(next)
	for _, v := range standing {
		packed = append(packed, newPackedViolation(d.keys[v.Key()], v.Placement))
	}
	d.ids.setViolations(e, packed)
	return next
}

// Cursors returns a copy of the cursors of source; empty, not nil, when
// there are none.
func (d *DryRun) Cursors(_ context.Context, source string) (map[string]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, fmt.Errorf("read cursors of source %q: %w", source, errClosed)
	}
	out := make(map[string]string, len(d.cursors[source]))
	for k, v := range d.cursors[source] {
		out[k] = v
	}
	return out, nil
}

// Totals returns the violation counts ordered like DB.Totals; Last is the
// newest violation ever stored (see DryRun).
func (d *DryRun) Totals(_ context.Context) ([]monitor.ViolationTotal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, fmt.Errorf("read violation totals: %w", errClosed)
	}
	m := make(map[alerts.Key]*monitor.ViolationTotal, len(d.totals))
	for i := range d.totals {
		m[d.totals[i].Key()] = &d.totals[i]
	}
	return sortedTotals(m), nil
}

// Days returns nothing: a dry run keeps no violation days.
func (d *DryRun) Days(context.Context) ([]monitor.ViolationDay, error) { return nil, d.open() }

// Recent returns nothing: a dry run keeps no violations.
func (d *DryRun) Recent(context.Context, int) ([]monitor.Violation, error) { return nil, d.open() }

// IncidentCount returns the number of distinct incidents committed.
func (d *DryRun) IncidentCount(context.Context) (int64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return 0, fmt.Errorf("count incidents: %w", errClosed)
	}
	return int64(d.ids.len()), nil
}

// open returns errClosed after Close.
func (d *DryRun) open() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errClosed
	}
	return nil
}

// Close drops everything the store holds.
func (d *DryRun) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	d.ids, d.keys, d.totals, d.cursors, d.batchKeys = idTable{}, nil, nil, nil, nil
	return nil
}

// The dry run satisfies the interface.
var _ monitor.Store = (*DryRun)(nil)
