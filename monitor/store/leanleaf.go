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
// but not its data, which ReadLeaves rebuilds from the row. The row must
// therefore never change under a lean leaf: a revision first stores the
// leaf in full (keepLeafOf). Tampering with the row changes the rebuilt
// leaf, whose hash then no longer matches the tree, so proofs of it fail.

// storedLeaf returns the incident leaf of a row of the incidents table.
func storedLeaf(source, id string, occurredAt int64, lon, lat, unc float64, category string, conf float64, raw []byte) evidence.Incident {
	return evidence.Incident{
		Source: source, ID: id, OccurredAt: time.Unix(0, occurredAt).UTC(),
		Lon: lon, Lat: lat, UncertaintyM: unc,
		Category: category, Confidence: conf, RawSHA256: sha256.Sum256(raw),
	}
}

// keepLeafOf stores in full the lean leaf, if any, of the incidents row
// rowid, whose content is leaf, so that the row may change.
func keepLeafOf(ctx context.Context, tx *sql.Tx, rowid int64, leaf evidence.Incident) error {
	data, err := evidence.Encode(leaf)
	if err != nil {
		return fmt.Errorf("keep the evidence leaf of incident %q: %w", leaf.ID, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE evidence_leaves SET data = ?, ref = NULL WHERE ref = ?", data, rowid); err != nil {
		return fmt.Errorf("keep the evidence leaf of incident %q: %w", leaf.ID, err)
	}
	return nil
}

// readLeavesSQL reads leaves with the rows that lean ones are rebuilt from.
const readLeavesSQL = `SELECT e.idx, e.data, e.ref, i.source, i.id, i.occurred_at, i.lon, i.lat,
	i.uncertainty_m, i.category, i.confidence, i.raw
FROM evidence_leaves e LEFT JOIN incidents i ON i.rowid = e.ref
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
		x                   int64
		data, raw           []byte
		ref, occurredAt     sql.NullInt64
		source, id, cat     sql.NullString
		lon, lat, unc, conf sql.NullFloat64
	)
	if err := rows.Scan(&x, &data, &ref, &source, &id, &occurredAt, &lon, &lat, &unc, &cat, &conf, &raw); err != nil {
		return 0, nil, err
	}
	if !ref.Valid {
		return x, data, nil
	}
	if !source.Valid {
		return 0, nil, fmt.Errorf("leaf %d: its incident row %d is gone, so the leaf cannot be rebuilt", x, ref.Int64)
	}
	data, err := evidence.Encode(storedLeaf(source.String, id.String, occurredAt.Int64,
		lon.Float64, lat.Float64, unc.Float64, cat.String, conf.Float64, raw))
	if err != nil {
		return 0, nil, fmt.Errorf("leaf %d: rebuild from incident row %d: %w", x, ref.Int64, err)
	}
	return x, data, nil
}
