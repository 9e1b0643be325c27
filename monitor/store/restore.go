package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

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
	rows, err := tx.QueryContext(ctx, `SELECT e.idx, e.ref, substr(e.hashes, 1, 32) FROM evidence_leaves e
WHERE e.ref < 0 AND length(e.data) = 0
	AND EXISTS (SELECT 1 FROM evidence_kept k WHERE k.ref = e.ref AND k.until_leaf <= e.idx)
ORDER BY e.idx`)
	if err != nil {
		return 0, 0, fmt.Errorf("find leaves to restore: %w", err)
	}
	type leaf struct {
		idx, ref int64
		hash     tlog.Hash
	}
	var suspects []leaf
	for rows.Next() {
		var l leaf
		var h []byte
		if err := rows.Scan(&l.idx, &l.ref, &h); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("find leaves to restore: %w", err)
		}
		copy(l.hash[:], h)
		suspects = append(suspects, l)
	}
	if err := rows.Close(); err != nil {
		return 0, 0, fmt.Errorf("find leaves to restore: %w", err)
	}
	var broken []leaf
	for _, l := range suspects {
		if !leafReads(st, l.idx, l.hash) {
			broken = append(broken, l)
		}
	}
	if len(broken) == 0 {
		return 0, 0, nil
	}
	// Every leaf of the rows concerned, and whether it reads right now.
	var refs []int64
	for _, l := range broken {
		refs = append(refs, l.ref)
	}
	slices.Sort(refs)
	refs = slices.Compact(refs)
	before, err := leavesOf(ctx, tx, st, refs)
	if err != nil {
		return 0, 0, err
	}
	var added [][2]int64 // ref, until_leaf
	for _, l := range broken {
		data, ok, err := keptWithHash(ctx, tx, l.ref, l.idx, l.hash)
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			unreadable++
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data) VALUES (?, ?, ?)`,
			l.ref, l.idx+1, data)
		if err != nil {
			return 0, 0, fmt.Errorf("restore leaf %d: %w", l.idx, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added = append(added, [2]int64{l.ref, l.idx + 1})
		}
	}
	after, err := leavesOf(ctx, tx, st, refs)
	if err != nil {
		return 0, 0, err
	}
	for idx, ok := range before {
		if ok && !after[idx] {
			// A restoration would cost another leaf: keep none of them.
			for _, a := range added {
				if _, err := tx.ExecContext(ctx, "DELETE FROM evidence_kept WHERE ref = ? AND until_leaf = ?", a[0], a[1]); err != nil {
					return 0, 0, fmt.Errorf("undo the restoration of leaves: %w", err)
				}
			}
			return 0, len(broken), nil
		}
	}
	for _, l := range broken {
		if after[l.idx] {
			restored++
		}
	}
	return restored, len(broken) - restored, nil
}

// leafReads reports whether the leaf idx reads back with the leaf hash h.
func leafReads(st *sqlStorage, idx int64, h tlog.Hash) bool {
	data, err := st.ReadLeaves(idx, 1)
	return err == nil && tlog.RecordHash(data[0]) == h
}

// leavesOf returns, for every leaf that refers to one of refs (sorted),
// whether it reads back with the leaf hash logged.
func leavesOf(ctx context.Context, tx *sql.Tx, st *sqlStorage, refs []int64) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT idx, ref, substr(hashes, 1, 32) FROM evidence_leaves WHERE ref < 0 AND length(data) = 0")
	if err != nil {
		return nil, fmt.Errorf("read leaves to restore: %w", err)
	}
	type leaf struct {
		idx  int64
		hash tlog.Hash
	}
	var of []leaf
	for rows.Next() {
		var l leaf
		var ref int64
		var h []byte
		if err := rows.Scan(&l.idx, &ref, &h); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read leaves to restore: %w", err)
		}
		if _, ok := slices.BinarySearch(refs, ref); ok {
			copy(l.hash[:], h)
			of = append(of, l)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read leaves to restore: %w", err)
	}
	out := make(map[int64]bool, len(of))
	for _, l := range of {
		out[l.idx] = leafReads(st, l.idx, l.hash)
	}
	return out, nil
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
