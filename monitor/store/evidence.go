package store

import (
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
// b), the violations stored, the violations retracted, and last the
// document the batch completes. Both stores log exactly these.
func batchLeaves(b *monitor.Batch, items []int, res *monitor.CommitResult) []evidence.Leaf {
	n := len(items) + len(res.Violations) + len(res.Retracted)
	if b.Fetched != nil {
		n++
	}
	out := make([]evidence.Leaf, 0, n)
	for _, i := range items {
		out = append(out, incidentLeaf(b.Source, &b.Items[i].Incident))
	}
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

// mergeSorted returns the ascending union of two ascending, disjoint lists.
func mergeSorted(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	out := append(append(make([]int, 0, len(a)+len(b)), a...), b...)
	slices.Sort(out)
	return out
}

// logBatch appends the leaves of a batch to the evidence log in tx.
func (db *DB) logBatch(ctx context.Context, tx *sql.Tx, b *monitor.Batch, items []int, res *monitor.CommitResult) error {
	leaves := batchLeaves(b, items, res)
	if len(leaves) == 0 {
		return nil
	}
	if _, err := evidence.Append(&sqlStorage{ctx: ctx, q: tx, tx: tx, ins: &db.insert}, leaves...); err != nil {
		return err
	}
	return nil
}

// AppendEvidence appends leaves to the evidence log in a transaction of
// their own and returns the index of the first. The daemon logs the config
// and zone files it loads this way.
func (db *DB) AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("append evidence: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	start, err := evidence.Append(&sqlStorage{ctx: ctx, q: tx, tx: tx, ins: &db.insert}, leaves...)
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

// sqlStorage is an evidence.Storage over the two evidence tables. It
// writes only when tx is set: then it is a view of that transaction and
// lives no longer than it.
type sqlStorage struct {
	ctx context.Context
	q   querier
	tx  *sql.Tx
	ins *insertSQL
}

// Size implements evidence.Storage.
func (s *sqlStorage) Size() (int64, error) {
	var n int64
	if err := s.q.QueryRowContext(s.ctx, "SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves").Scan(&n); err != nil {
		return 0, fmt.Errorf("read evidence log size: %w", err)
	}
	return n, nil
}

// ReadHashes implements evidence.Storage.
func (s *sqlStorage) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	pos := make(map[int64][]int, len(indexes))
	args := make([]any, 0, len(indexes))
	for i, x := range indexes {
		if _, ok := pos[x]; !ok {
			args = append(args, x)
		}
		pos[x] = append(pos[x], i)
	}
	rows, err := s.q.QueryContext(s.ctx, "SELECT idx, hash FROM evidence_hashes WHERE idx IN ("+
		strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("read stored hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var x int64
		var h []byte
		if err := rows.Scan(&x, &h); err != nil {
			return nil, fmt.Errorf("read stored hashes: %w", err)
		}
		if len(h) != len(tlog.Hash{}) {
			return nil, fmt.Errorf("read stored hash %d: %d bytes", x, len(h))
		}
		for _, i := range pos[x] {
			copy(out[i][:], h)
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stored hashes: %w", err)
	}
	if found != len(args) {
		return nil, fmt.Errorf("read %d stored hashes: %d stored", len(args), found)
	}
	return out, nil
}

// ReadLeaves implements evidence.Storage.
func (s *sqlStorage) ReadLeaves(start, n int64) ([][]byte, error) {
	rows, err := s.q.QueryContext(s.ctx, "SELECT idx, data FROM evidence_leaves WHERE idx >= ? AND idx < ? ORDER BY idx", start, start+n)
	if err != nil {
		return nil, fmt.Errorf("read leaves %d..%d: %w", start, start+n, err)
	}
	defer rows.Close()
	out := make([][]byte, 0, n)
	for rows.Next() {
		var x int64
		var data []byte
		if err := rows.Scan(&x, &data); err != nil {
			return nil, fmt.Errorf("read leaves %d..%d: %w", start, start+n, err)
		}
		if x != start+int64(len(out)) {
			return nil, fmt.Errorf("read leaves %d..%d: leaf %d missing", start, start+n, start+int64(len(out)))
		}
		out = append(out, data)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read leaves %d..%d: %w", start, start+n, err)
	}
	if int64(len(out)) != n {
		return nil, fmt.Errorf("read leaves %d..%d: %d stored", start, start+n, len(out))
	}
	return out, nil
}

// Write implements evidence.Storage: it inserts the batch's leaves and
// stored hashes in the transaction, after checking that they start where
// the log ends.
func (s *sqlStorage) Write(b *evidence.Batch) error {
	if s.tx == nil {
		return fmt.Errorf("write evidence leaves: read-only view of the log")
	}
	size, err := s.Size()
	if err != nil {
		return err
	}
	var hashes int64
	if err := s.q.QueryRowContext(s.ctx, "SELECT coalesce(max(idx)+1, 0) FROM evidence_hashes").Scan(&hashes); err != nil {
		return fmt.Errorf("count stored hashes: %w", err)
	}
	if b.Start != size || b.HashStart != hashes {
		return fmt.Errorf("batch starts at leaf %d and stored hash %d, log has %d and %d", b.Start, b.HashStart, size, hashes)
	}
	if want := tlog.StoredHashCount(b.Start + int64(len(b.Leaves))); b.HashStart+int64(len(b.Hashes)) != want {
		return fmt.Errorf("batch of %d leaves brings %d stored hashes, want %d", len(b.Leaves), len(b.Hashes), want-b.HashStart)
	}
	ch := chunker{tx: s.tx, full: s.ins.leaves, build: leafInsert}
	defer ch.close()
	args := make([]any, 0, chunkRows*leafCols)
	for start := 0; start < len(b.Leaves); start += chunkRows {
		end := min(start+chunkRows, len(b.Leaves))
		args = args[:0]
		for i, e := range b.Leaves[start:end] {
			args = append(args, b.Start+int64(start+i), string(e.Kind), e.Data)
		}
		if err := ch.exec(s.ctx, end-start, args); err != nil {
			return fmt.Errorf("insert evidence leaves: %w", err)
		}
	}
	hc := chunker{tx: s.tx, full: s.ins.hashes, build: hashInsert}
	defer hc.close()
	for start := 0; start < len(b.Hashes); start += chunkRows {
		end := min(start+chunkRows, len(b.Hashes))
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, b.HashStart+int64(i), b.Hashes[i][:])
		}
		if err := hc.exec(s.ctx, end-start, args); err != nil {
			return fmt.Errorf("insert evidence hashes: %w", err)
		}
	}
	return nil
}

const (
	leafCols = 3
	hashCols = 2
)

func leafInsert(n int) string {
	return "INSERT INTO evidence_leaves (idx, kind, data) VALUES " + placeholders(n, leafCols)
}

func hashInsert(n int) string {
	return "INSERT INTO evidence_hashes (idx, hash) VALUES " + placeholders(n, hashCols)
}
