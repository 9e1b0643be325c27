package store

import (
	"context"
	"database/sql"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// A store written before schema version 12 may hold lean violation leaves
// that do not rebuild: a batch that stored a violation and deleted its
// incident (the incident new in the batch, or revised by it, and among its
// deleted ids) deleted the row before logging its leaf, which it then
// logged lean, as a reference to the gone row. The trigger had kept the
// row's leaf in evidence_kept, but for the leaves before the batch alone.
// Such a leaf then failed to read ("its violation row is gone"), or, once
// a later violation took the freed rowid, read as that violation's leaf,
// whose hash is not the one logged.
//
// restoreLeaves, the data step of version 12, finds them and keeps for
// each the leaf that the trigger kept of its row, for that leaf alone. It
// restores only a leaf whose logged hash the kept leaf has, so it cannot
// make the log say anything it did not say; and it undoes every
// restoration if any leaf that read right before reads otherwise after.
// It returns the number of leaves restored, and of those that still do
// not read right.
func restoreLeaves(ctx context.Context, tx *sql.Tx) (restored, unreadable int, err error) {
	st := &sqlStorage{ctx: ctx, q: tx}
	// Leaves written after their row was changed or deleted: the only ones
	// the fault can have left, as rowids were reused after it.
	suspects, err := leanViolationLeaves(ctx, tx,
		"AND EXISTS (SELECT 1 FROM evidence_kept k WHERE k.ref = e.ref AND k.until_leaf <= e.idx)")
	if err != nil {
		return 0, 0, err
	}
	var broken []leafHash
	for _, l := range suspects {
		if !leafReads(st, l) {
			broken = append(broken, l)
		}
	}
	if len(broken) == 0 {
		return 0, 0, nil
	}
	restored, err = restoreBroken(ctx, tx, st, broken)
	return restored, len(broken) - restored, err
}

// restoreBroken keeps for each leaf of broken the leaf kept of its row
// that has its logged hash, and returns how many now read right; or, if
// that would make a leaf of those rows that read right read otherwise,
// undoes them all and returns 0.
func restoreBroken(ctx context.Context, tx *sql.Tx, st *sqlStorage, broken []leafHash) (int, error) {
	refs := make(map[int64]bool, len(broken))
	for _, l := range broken {
		refs[l.ref] = true
	}
	// Every lean leaf of the rows concerned, and whether it reads right.
	all, err := leanViolationLeaves(ctx, tx, "")
	if err != nil {
		return 0, err
	}
	var concerned []leafHash
	for _, l := range all {
		if refs[l.ref] {
			concerned = append(concerned, l)
		}
	}
	before := make([]bool, len(concerned))
	for i, l := range concerned {
		before[i] = leafReads(st, l)
	}
	var added [][2]int64 // ref, until_leaf
	for _, l := range broken {
		data, ok, err := keptWithHash(ctx, tx, l.ref, l.idx, l.hash)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue // stays unreadable
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data) VALUES (?, ?, ?)`,
			l.ref, l.idx+1, data)
		if err != nil {
			return 0, fmt.Errorf("restore leaf %d: %w", l.idx, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added = append(added, [2]int64{l.ref, l.idx + 1})
		}
	}
	for i, l := range concerned {
		if before[i] && !leafReads(st, l) {
			// A restoration would cost another leaf: keep none of them.
			for _, a := range added {
				if _, err := tx.ExecContext(ctx, "DELETE FROM evidence_kept WHERE ref = ? AND until_leaf = ?", a[0], a[1]); err != nil {
					return 0, fmt.Errorf("undo the restoration of leaves: %w", err)
				}
			}
			return 0, nil
		}
	}
	restored := 0
	for _, l := range broken {
		if leafReads(st, l) {
			restored++
		}
	}
	return restored, nil
}

// leafHash is a lean violation leaf: its index, its ref (minus the rowid
// of its violations row) and the leaf hash logged.
type leafHash struct {
	idx, ref int64
	hash     tlog.Hash
}

// leanViolationLeaves returns the lean violation leaves of the log that
// the condition and (SQL on evidence_leaves e, "" for none) selects, in
// log order.
func leanViolationLeaves(ctx context.Context, tx *sql.Tx, and string) ([]leafHash, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.idx, e.ref, substr(e.hashes, 1, 32) FROM evidence_leaves e
WHERE e.ref < 0 AND length(e.data) = 0 `+and+` ORDER BY e.idx`)
	if err != nil {
		return nil, fmt.Errorf("read leaves to restore: %w", err)
	}
	defer rows.Close()
	var out []leafHash
	for rows.Next() {
		var l leafHash
		var h []byte
		if err := rows.Scan(&l.idx, &l.ref, &h); err != nil {
			return nil, fmt.Errorf("read leaves to restore: %w", err)
		}
		copy(l.hash[:], h)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read leaves to restore: %w", err)
	}
	return out, nil
}

// leafReads reports whether leaf l reads back with its logged hash.
func leafReads(st *sqlStorage, l leafHash) bool {
	data, err := st.ReadLeaves(l.idx, 1)
	return err == nil && tlog.RecordHash(data[0]) == l.hash
}

// keptWithHash returns the leaf kept of row ref before leaf idx was
// written whose leaf hash is h, if there is one.
func keptWithHash(ctx context.Context, tx *sql.Tx, ref, idx int64, h tlog.Hash) ([]byte, bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT data FROM evidence_kept WHERE ref = ? AND until_leaf <= ?", ref, idx)
	if err != nil {
		return nil, false, fmt.Errorf("restore leaf %d: %w", idx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, false, fmt.Errorf("restore leaf %d: %w", idx, err)
		}
		if tlog.RecordHash(data) == h {
			return data, true, nil
		}
	}
	return nil, false, rows.Err()
}
