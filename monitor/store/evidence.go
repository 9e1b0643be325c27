package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"golang.org/x/mod/sumdb/tlog"
)

// batchLeaves returns the evidence leaves of a committed batch, in log
// order: the incidents stored new or revised (items, ascending indexes in
// b), then the others (otherLeaves). Both stores log exactly these.
func batchLeaves(b *monitor.Batch, items []int, res *monitor.CommitResult) []evidence.Leaf {
	out := make([]evidence.Leaf, 0, len(items)+len(res.Violations)+len(res.Retracted)+1)
	for _, i := range items {
		out = append(out, incidentLeaf(b.Source, &b.Items[i].Incident))
	}
	return append(out, otherLeaves(b, res)...)
}

// otherLeaves returns the leaves of a committed batch that follow those of
// its incidents: the violations stored (those of new incidents, then those
// revisions added, each in item order, as res.Violations holds them), the
// violations retracted, and last the document the batch completes.
func otherLeaves(b *monitor.Batch, res *monitor.CommitResult) []evidence.Leaf {
	out := make([]evidence.Leaf, 0, len(res.Violations)+len(res.Retracted)+1)
	for i := range res.Violations {
		out = append(out, ViolationLeaf(&res.Violations[i]))
	}
	for i := range res.Retracted {
		out = append(out, evidence.Retraction(ViolationLeaf(&res.Retracted[i])))
	}
	if f := b.Fetched; f != nil {
		out = append(out, evidence.Document{Source: b.Source, SHA256: f.SHA256, FetchedAt: f.FetchedAt, Cursor: f.Cursor})
	}
	return out
}

// incidentLeaf returns the leaf of inc as stored for source.
func incidentLeaf(source string, inc *monitor.Incident) evidence.Leaf {
	return IncidentLeaf(source, inc, sha256.Sum256([]byte(inc.Raw)))
}

// IncidentLeaf returns the evidence leaf of an incident of source whose
// raw record has the SHA-256 digest raw.
func IncidentLeaf(source string, inc *monitor.Incident, raw [32]byte) evidence.Incident {
	return evidence.Incident{
		Source: source, ID: inc.ID, OccurredAt: inc.OccurredAt,
		Lon: inc.Lon, Lat: inc.Lat, UncertaintyM: inc.UncertaintyM,
		Category: string(inc.Category), Confidence: inc.Confidence, RawSHA256: raw,
	}
}

// ViolationLeaf returns the evidence leaf of v.
func ViolationLeaf(v *monitor.Violation) evidence.Violation {
	return evidence.Violation{
		Trial: v.Trial, ZoneID: v.ZoneID, Category: string(v.Category), Placement: string(v.Placement),
		Source: v.Source, IncidentID: v.IncidentID, ZoneVersion: v.ZoneVersion, Config: v.Config,
	}
}

// mergeStored returns the ascending union of two lists of stored items,
// each ascending by item, disjoint.
func mergeStored(a, b []storedItem) []storedItem {
	if len(b) == 0 {
		return a
	}
	out := append(append(make([]storedItem, 0, len(a)+len(b)), a...), b...)
	slices.SortFunc(out, func(x, y storedItem) int { return x.item - y.item })
	return out
}

// aheadRows is the size from which a batch has the leaves of its incidents
// and violations prepared while they are inserted: one full chunk of rows.
const aheadRows = chunkRows

// preparedLeaves is the leaf of every item of a batch and of each of its
// violations, as if stored, encoded and hashed.
type preparedLeaves struct {
	incidents []evidence.Prepared // by item
	// violations holds the leaves of the violations of every item, as
	// uniqueViolations gives them, item after item; those of item i start
	// at violationsFrom[i].
	violations     []evidence.Prepared
	violationsFrom []int
	err            error
}

// violation returns the leaf of the k-th violation of item i.
func (p *preparedLeaves) violation(at violationAt) evidence.Prepared {
	return p.violations[p.violationsFrom[at.item]+at.k]
}

// violationAt names a violation of a batch: the k-th that
// uniqueViolations gives for item.
type violationAt struct {
	item, k int
}

// prepareAhead starts preparing the leaves of a large batch's incidents
// and violations in the background, so that the work overlaps the inserts,
// and returns where they will arrive, once, before the channel closes; it
// returns nil when the log is off or b is small. In large batches nearly
// every item is new, so little of the work is wasted on duplicates.
func (db *DB) prepareAhead(b *monitor.Batch) <-chan preparedLeaves {
	if db.logOff || len(b.Items) < aheadRows {
		return nil
	}
	ch := make(chan preparedLeaves, 1)
	go func() {
		defer close(ch)
		leaves := make([]evidence.Leaf, len(b.Items))
		n := 0
		for i := range b.Items {
			leaves[i] = incidentLeaf(b.Source, &b.Items[i].Incident)
			n += len(b.Items[i].Violations)
		}
		p := preparedLeaves{violationsFrom: make([]int, len(b.Items))}
		if p.incidents, p.err = evidence.Prepare(leaves...); p.err != nil {
			ch <- p
			return
		}
		leaves = slices.Grow(leaves[:0], n) // n: every violation, repeats included
		var vs []monitor.Violation
		for i := range b.Items {
			p.violationsFrom[i] = len(leaves)
			vs = uniqueViolations(vs[:0], &b.Items[i], b.Source)
			for j := range vs {
				leaves = append(leaves, ViolationLeaf(&vs[j]))
			}
		}
		p.violations, p.err = evidence.Prepare(leaves...)
		ch <- p
	}()
	return ch
}

// logBatch appends the leaves of a batch to the evidence log in tx, taking
// from ahead, when not nil, those of its incidents and of the violations
// that at names (the first len(at) of res.Violations). The leaves of the
// incidents stored, and of the violations, whose rowids violationRows
// gives in the order of res.Violations, go in lean: their rows are
// referenced, not copied. A violation whose rowid is given as 0 (its row
// is already gone) has its leaf stored whole.
func (db *DB) logBatch(ctx context.Context, tx *sql.Tx, b *monitor.Batch, stored []storedItem, violationRows []int64,
	res *monitor.CommitResult, ahead <-chan preparedLeaves, at []violationAt) error {
	if db.logOff {
		return nil
	}
	refs := make([]int64, len(stored), len(stored)+len(violationRows))
	for i, s := range stored {
		refs[i] = s.rowid
	}
	for _, r := range violationRows {
		refs = append(refs, -r)
	}
	var leaves []evidence.Leaf
	var all []evidence.Prepared
	if ahead != nil {
		p := <-ahead
		if p.err != nil {
			return fmt.Errorf("append to evidence log: %w", p.err)
		}
		all = make([]evidence.Prepared, 0, len(stored)+len(res.Violations)+len(res.Retracted)+1)
		for _, s := range stored {
			all = append(all, p.incidents[s.item])
		}
		for _, a := range at {
			all = append(all, p.violation(a))
		}
		others := *res // all but the violations taken from ahead
		others.Violations = others.Violations[len(at):]
		leaves = otherLeaves(b, &others)
	} else {
		leaves = make([]evidence.Leaf, 0, len(stored)+len(res.Violations)+len(res.Retracted)+1)
		for _, s := range stored {
			leaves = append(leaves, incidentLeaf(b.Source, &b.Items[s.item].Incident))
		}
		leaves = append(leaves, otherLeaves(b, res)...)
	}
	rest, err := evidence.Prepare(leaves...)
	if err != nil {
		return fmt.Errorf("append to evidence log: %w", err)
	}
	all = append(all, rest...)
	if len(all) == 0 {
		return nil
	}
	if _, err := evidence.AppendPrepared(&sqlStorage{ctx: ctx, q: tx, tx: tx, st: db.stmts, refs: refs}, all...); err != nil {
		return err
	}
	return nil
}

// AppendEvidence appends leaves to the evidence log in a transaction of
// their own and returns the index of the first. The daemon logs the config
// and zone files it loads this way.
func (db *DB) AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error) {
	if err := db.stmts.prepareMissed(ctx); err != nil {
		return 0, fmt.Errorf("append evidence: %w", err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("append evidence: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	start, err := evidence.Append(&sqlStorage{ctx: ctx, q: tx, tx: tx, st: db.stmts}, leaves...)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("append evidence: commit: %w", err)
	}
	return start, nil
}

// Evidence returns a read-only view of the evidence log, for checkpoints,
// proofs and exports. Its Write fails. Leaves are only ever appended, so
// reads of leaves and hashes below a size read once stay consistent.
func (db *DB) Evidence(ctx context.Context) evidence.Storage {
	return &sqlStorage{ctx: ctx, q: db.r}
}

// querier is what sqlStorage needs of a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// sqlStorage is an evidence.Storage over the evidence_leaves table. It
// writes only when tx is set: then it is a view of that transaction and
// lives no longer than it.
type sqlStorage struct {
	ctx context.Context
	q   querier
	tx  *sql.Tx
	st  *stmts // with tx
	// refs[i], when not 0, is the rowid of the incidents row that the i-th
	// leaf written encodes, or minus that of its violations row: that leaf
	// is stored lean, as a reference (see leanRef).
	refs []int64
}

// Size implements evidence.Storage.
func (s *sqlStorage) Size() (int64, error) {
	var row *sql.Row
	if s.tx != nil {
		st, err := s.st.in(s.ctx, s.tx, logSizeSQL)
		if err != nil {
			return 0, fmt.Errorf("read evidence log size: %w", err)
		}
		row = st.QueryRowContext(s.ctx)
	} else {
		row = s.q.QueryRowContext(s.ctx, logSizeSQL)
	}
	var n int64
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("read evidence log size: %w", err)
	}
	return n, nil
}

// ReadHashes implements evidence.Storage. The stored hash at level L of
// the n-th subtree of that level is the L-th hash of the leaf that
// completes the subtree, its last.
func (s *sqlStorage) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	type at struct {
		pos   int
		level int
	}
	byLeaf := make(map[int64][]at, len(indexes))
	args := make([]any, 0, len(indexes))
	for i, x := range indexes {
		if x < 0 {
			return nil, fmt.Errorf("read stored hash %d: negative", x)
		}
		level, n := tlog.SplitStoredHashIndex(x)
		leaf := (n+1)<<level - 1
		if _, ok := byLeaf[leaf]; !ok {
			args = append(args, leaf)
		}
		byLeaf[leaf] = append(byLeaf[leaf], at{i, level})
	}
	rows, err := s.q.QueryContext(s.ctx, "SELECT idx, hashes FROM evidence_leaves WHERE idx IN ("+
		strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read stored hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var leaf int64
		var hashes []byte
		if err := rows.Scan(&leaf, &hashes); err != nil {
			return nil, fmt.Errorf("read stored hashes: %w", err)
		}
		for _, a := range byLeaf[leaf] {
			if (a.level+1)*len(tlog.Hash{}) > len(hashes) {
				return nil, fmt.Errorf("read stored hash %d: leaf %d holds %d bytes of hashes", indexes[a.pos], leaf, len(hashes))
			}
			copy(out[a.pos][:], hashes[a.level*len(tlog.Hash{}):])
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stored hashes: %w", err)
	}
	if found != len(args) {
		return nil, fmt.Errorf("read stored hashes: %d of the %d leaves holding them are stored", found, len(args))
	}
	return out, nil
}

// Write implements evidence.Storage: it inserts the batch's leaves, each
// with the stored hashes it adds, in the transaction, after checking that
// they start where the log ends. A leaf with a ref is stored without its
// data, which ReadLeaves rebuilds from the row.
func (s *sqlStorage) Write(b *evidence.Batch) error {
	if s.tx == nil {
		return fmt.Errorf("write evidence leaves: read-only view of the log")
	}
	size, err := s.Size()
	if err != nil {
		return err
	}
	if b.Start != size || b.HashStart != tlog.StoredHashCount(size) {
		return fmt.Errorf("batch starts at leaf %d and stored hash %d, log has %d leaves", b.Start, b.HashStart, size)
	}
	end := b.Start + int64(len(b.Leaves))
	if b.HashStart+int64(len(b.Hashes)) != tlog.StoredHashCount(end) {
		return fmt.Errorf("batch of %d leaves brings %d stored hashes, want %d",
			len(b.Leaves), len(b.Hashes), tlog.StoredHashCount(end)-b.HashStart)
	}
	ch := chunker{st: s.st, tx: s.tx, kind: "leaves"}
	args := make([]any, 0, chunkRows*leafCols)
	packed := make([]byte, 0, 64*len(b.Leaves)) // all the batch's hashes, for the rows to point into
	next := b.HashStart
	for start, last := 0, 0; start < len(b.Leaves); start = last {
		last = start + chunkSize(len(b.Leaves)-start)
		args = args[:0]
		for i, e := range b.Leaves[start:last] {
			n := b.Start + int64(start+i)
			from := len(packed)
			for ; next < tlog.StoredHashCount(n+1); next++ {
				packed = append(packed, b.Hashes[next-b.HashStart][:]...)
			}
			data, ref := e.Data, any(nil)
			if j := start + i; j < len(s.refs) && leanRef(e, s.refs[j]) {
				data, ref = []byte{}, s.refs[j]
			}
			if i == 0 {
				args = append(args, n)
			}
			args = append(args, string(e.Kind), data, packed[from:len(packed):len(packed)], ref)
		}
		if err := ch.exec(s.ctx, last-start, args); err != nil {
			return fmt.Errorf("insert evidence leaves: %w", err)
		}
	}
	return nil
}

const leafCols = 4 // bound per leaf

// leafInsert returns an INSERT of n leaves. The index of the first is
// bound; each of the others takes the next rowid, one past the largest.
func leafInsert(n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO evidence_leaves (idx, kind, data, hashes, ref) VALUES (?,?,?,?,?)")
	for range n - 1 {
		sb.WriteString(",(NULL,?,?,?,?)")
	}
	return sb.String()
}

// leanRef reports whether leaf e is stored lean with ref: an incident
// leaf with a positive one, or a violation leaf with a negative one whose
// encoding the view violation_leaves can give back (SQLite text functions
// may stop at a NUL byte, which no digest or leaf header holds).
func leanRef(e evidence.Entry, ref int64) bool {
	switch e.Kind {
	case evidence.KindIncident:
		return ref > 0
	case evidence.KindViolation:
		return ref < 0 && bytes.IndexByte(e.Data, 0) < 0
	}
	return false
}
