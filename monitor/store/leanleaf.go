package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// The leaf of an incident is kept lean: evidence_leaves holds its kind,
// its stored hashes and ref, the rowid of the incidents row it encodes,
// but not its data, which ReadLeaves rebuilds from the row. When a
// revision changes the row, keepLeafOf first stores the leaf of its old
// content in evidence_kept, where the leaves of the row written until then
// find it. Tampering with a row changes the rebuilt leaf, whose hash then
// no longer matches the tree, so proofs of it fail.
//
// The leaf of a violation is kept lean the same way, with ref minus the
// rowid of its violations row; the view violation_leaves encodes the row,
// and triggers keep the leaf of a row before it changes or goes, so that
// the log reads as written whoever changes the row (a tampered violations
// row shows beside its leaf, as with full leaves).

// storedLeaf returns the incident leaf of a row of the incidents table.
func storedLeaf(source, id string, occurredAt int64, lon, lat, unc float64, category string, conf float64, raw []byte) evidence.Incident {
	return evidence.Incident{
		Source: source, ID: id, OccurredAt: time.Unix(0, occurredAt).UTC(),
		Lon: lon, Lat: lat, UncertaintyM: unc,
		Category: category, Confidence: conf, RawSHA256: sha256.Sum256(raw),
	}
}

// keepLeafOf keeps the leaf of the content of the incidents row rowid,
// leaf, for the lean leaves written so far that refer to the row, which is
// about to change. Of several revisions with no leaf between them the
// first is kept: the leaves before it encode that content.
func keepLeafOf(ctx context.Context, tx *sql.Tx, rowid int64, leaf evidence.Incident) error {
	data, err := evidence.Encode(leaf)
	if err != nil {
		return fmt.Errorf("keep the evidence leaf of incident %q: %w", leaf.ID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
SELECT ?, coalesce(max(idx)+1, 0), ? FROM evidence_leaves`, rowid, data)
	if err != nil {
		return fmt.Errorf("keep the evidence leaf of incident %q: %w", leaf.ID, err)
	}
	return nil
}

// readLeavesSQL reads leaves with what lean ones are rebuilt from: the
// leaf kept of the row's content when the leaf was written, or else the
// row: the incidents row of a positive ref, the leaf of the violations row
// of a negative one.
const readLeavesSQL = `SELECT e.idx, e.data, e.ref, (SELECT k.data FROM evidence_kept k
		WHERE k.ref = e.ref AND k.until_leaf > e.idx ORDER BY k.until_leaf LIMIT 1),
	s.name, i.id, i.occurred_at, i.lon, i.lat, i.uncertainty_m, c.name, i.confidence, i.raw, sh.name,
	CASE WHEN e.ref < 0 THEN (SELECT v.data FROM violation_leaves v WHERE v.id = -e.ref) END
FROM evidence_leaves e LEFT JOIN incidents i ON e.ref > 0 AND i.rowid = e.ref
	LEFT JOIN names s ON s.id = i.source_ref LEFT JOIN names c ON c.id = i.category_ref
	LEFT JOIN names sh ON sh.id = i.raw_shape
WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx`

// ReadLeaves implements evidence.Storage. A lean leaf whose incidents row
// is gone cannot be rebuilt: that is an error naming the leaf.
func (s *sqlStorage) ReadLeaves(start, n int64) ([][]byte, error) {
	rows, err := s.q.QueryContext(s.ctx, readLeavesSQL, start, start+n)
	if err != nil {
		return nil, fmt.Errorf("read leaves %d..%d: %w", start, start+n, err)
	}
	defer rows.Close()
	out := make([][]byte, 0, n)
	for rows.Next() {
		x, data, err := scanLeaf(rows)
		if err != nil {
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

// scanLeaf returns the index and encoding of the leaf at rows.
func scanLeaf(rows *sql.Rows) (int64, []byte, error) {
	var (
		x                      int64
		data, kept, raw, vleaf []byte
		ref, occurredAt        sql.NullInt64
		source, id, cat, shape sql.NullString
		lon, lat, unc, conf    sql.NullFloat64
	)
	if err := rows.Scan(&x, &data, &ref, &kept, &source, &id, &occurredAt, &lon, &lat, &unc, &cat, &conf, &raw, &shape, &vleaf); err != nil {
		return 0, nil, err
	}
	switch {
	case !ref.Valid:
		return x, data, nil
	case kept != nil:
		return x, kept, nil
	case ref.Int64 < 0 && vleaf == nil:
		return 0, nil, fmt.Errorf("leaf %d: its violation row %d is gone, so the leaf cannot be rebuilt", x, -ref.Int64)
	case ref.Int64 < 0:
		return x, vleaf, nil
	}
	if !source.Valid {
		return 0, nil, fmt.Errorf("leaf %d: its incident row %d is gone, so the leaf cannot be rebuilt", x, ref.Int64)
	}
	data, err := evidence.Encode(storedLeaf(source.String, id.String, occurredAt.Int64,
		lon.Float64, lat.Float64, unc.Float64, cat.String, conf.Float64, []byte(rawOf(string(raw), shape))))
	if err != nil {
		return 0, nil, fmt.Errorf("leaf %d: rebuild from incident row %d: %w", x, ref.Int64, err)
	}
	return x, data, nil
}
