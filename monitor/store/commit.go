package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// Rows per multi-row INSERT, at most. Fewer, larger statements amortise
// the cost of each driver round trip; 12 columns × 256 rows stays far below
// SQLite's limit of 32766 bound parameters. A power of two (see chunkSize).
const chunkRows = 256

// The columns of a row of each multi-row insert, and of them the first
// that every row of a statement shares, bound once (see placeholders).
const (
	incidentCols, incidentShared   = 12, 2
	violationCols, violationShared = 12, 1
)

// incidentInsert returns an INSERT of n incident rows that skips rows whose
// (source, id) is stored already (or appeared earlier in the same statement)
// and returns the rowids and ids of those it did store. The source and the
// time of ingestion are shared.
func incidentInsert(n int) string {
	return "INSERT INTO incidents (source_ref, ingested_at, id, occurred_at, lon, lat, uncertainty_m, category_ref, confidence, " +
		"raw, zones, raw_shape) VALUES " + placeholders(n, incidentCols, incidentShared) +
		" ON CONFLICT (source_ref, id) DO NOTHING RETURNING rowid, id"
}

// violationInsert returns an INSERT of n violation rows that returns the
// rowids and keys of the rows it stored. The tier is shared.
func violationInsert(n int) string {
	return "INSERT INTO violations (tier_ref, trial_ref, zone_ref, incident_ref, category_ref, occurred_at, lon, lat, " +
		"placement_ref, day, zone_version_ref, config_ref) VALUES " +
		placeholders(n, violationCols, violationShared) + " ON CONFLICT DO NOTHING RETURNING rowid, trial_ref, zone_ref, incident_ref"
}

// placeholders returns n groups of cols parameters, "(?1,?,?),(?1,?,?)",
// whose first shared are the same in every group: ?1 to ?shared, bound once,
// ahead of the others. Binding a parameter is a driver call, and takes a
// mutex, so a batch of large statements spends a tenth of its time on it.
func placeholders(n, cols, shared int) string {
	var head strings.Builder
	head.WriteByte('(')
	for i := range shared {
		head.WriteString("?" + strconv.Itoa(i+1) + ",")
	}
	row := head.String() + strings.Repeat("?,", cols-shared-1) + "?)"
	var sb strings.Builder
	sb.Grow(n * (len(row) + 1))
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(row)
	}
	return sb.String()
}

// Commit stores b in one transaction: the incidents whose (source, id) is
// new, the violations of those incidents, and the cursor (b.Source,
// b.CursorKey) when CursorKey is not empty. An incident stored already, or
// repeated earlier in b, counts as Duplicate and its violations are ignored.
// The result lists exactly the violations stored by this call, those of
// new incidents then those revisions added, each in item order, with
// Source and IncidentID filled in and times in UTC.
//
// If ctx is cancelled, or anything fails, nothing of b is stored. Commit
// rejects batches whose incidents or violations name another source or
// incident, lack an id, trial or zone, or carry an event time outside the
// years 1678 to 2261. Concurrent Commits are serialised.
func (db *DB) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	if err := checkBatch(b); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	res, err := db.commit(ctx, b)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			// A cancelled context rolls the transaction back under the
			// commit, whose next statement then fails as closed: the
			// cancellation is the cause.
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return monitor.CommitResult{}, fmt.Errorf("commit batch of source %q: %w", b.Source, err)
	}
	return res, nil
}

func (db *DB) commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	if err := db.stmts.prepareMissed(ctx); err != nil {
		return monitor.CommitResult{}, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return monitor.CommitResult{}, fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit it does nothing

	now := db.now().UnixNano()
	ahead := db.prepareAhead(b)
	if ahead != nil {
		// Commit holds nothing of b once it returns, even when it fails:
		// this waits for the leaves, or for the channel to close after
		// logBatch took them.
		defer func() { <-ahead }()
	}
	nm := newNamer(&db.names, tx)
	fresh, err := db.insertIncidents(ctx, tx, nm, b, now)
	if err != nil {
		return monitor.CommitResult{}, err
	}
	n := 0
	for _, f := range fresh {
		n += len(b.Items[f.item].Violations)
	}
	vs := make([]monitor.Violation, 0, n) // sized once: a Violation is large and batches long
	vsAt := make([]violationAt, 0, n)
	incidents := make([]int64, 0, n) // the rowid of the incident of each of vs
	counts := countDeltas{}
	for _, f := range fresh {
		from := len(vs)
		vs = uniqueViolations(vs, &b.Items[f.item], b.Source)
		for k := range len(vs) - from {
			vsAt = append(vsAt, violationAt{f.item, k})
			incidents = append(incidents, f.rowid)
		}
		counts.add(&b.Items[f.item], b.Source, 1)
	}
	stored, rowids, picked, err := db.insertViolations(ctx, tx, nm, vs, incidents)
	if err != nil {
		return monitor.CommitResult{}, err
	}
	at := make([]violationAt, len(picked))
	for i, v := range picked {
		at[i] = vsAt[v]
	}
	rv := reviser{db: db, tx: tx, names: nm, source: b.Source, now: now, counts: counts}
	if err := rv.revise(ctx, b, fresh); err != nil {
		return monitor.CommitResult{}, err
	}
	for _, id := range b.Deleted {
		if err := rv.delete(ctx, id); err != nil {
			return monitor.CommitResult{}, err
		}
	}
	if err := db.applyCounts(ctx, tx, counts); err != nil {
		return monitor.CommitResult{}, err
	}
	if err := db.applyTiers(ctx, tx, nm, b.Source, b.Tiers, freshIDs(b, fresh)); err != nil {
		return monitor.CommitResult{}, err
	}
	res := monitor.CommitResult{
		New:        len(fresh),
		Duplicate:  len(b.Items) - len(fresh) - rv.revised,
		Revised:    rv.revised,
		Deleted:    rv.deleted,
		Violations: append(stored, rv.added...),
		Retracted:  rv.retracted,
	}
	violationRows := append(rowids, rv.addedRows...)
	for i, r := range violationRows {
		if rv.gone[r] {
			violationRows[i] = 0 // its leaf is stored whole
		}
	}
	if err := db.logBatch(ctx, tx, b, mergeStored(fresh, rv.revisedItems), violationRows, &res, ahead, at); err != nil {
		return monitor.CommitResult{}, err
	}
	if b.CursorKey != "" {
		st, err := db.stmts.in(ctx, tx, cursorUpsertSQL)
		if err == nil {
			_, err = st.ExecContext(ctx, b.Source, b.CursorKey, b.CursorValue, now)
		}
		if err != nil {
			return monitor.CommitResult{}, fmt.Errorf("store cursor %q: %w", b.CursorKey, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return monitor.CommitResult{}, fmt.Errorf("commit: %w", err)
	}
	nm.committed()
	return res, nil
}

// freshIDs returns the ids of the items of b stored as new rows, when b
// sets tiers (nil otherwise).
func freshIDs(b *monitor.Batch, fresh []storedItem) map[string]bool {
	if len(b.Tiers) == 0 {
		return nil
	}
	ids := make(map[string]bool, len(fresh))
	for _, f := range fresh {
		ids[b.Items[f.item].Incident.ID] = true
	}
	return ids
}

// storedItem is an item of a batch stored as an incidents row.
type storedItem struct {
	item  int   // index in the batch
	rowid int64 // of its incidents row
}

// insertIncidents inserts the incidents of b in chunks and returns the
// items it stored, by ascending index. Rows go in by ascending id, which
// walks the (source, id) index in order instead of jumping around it (a
// quarter less CPU on large batches); the sort is stable, so of two items
// with the same id the first in b is the one stored.
func (db *DB) insertIncidents(ctx context.Context, tx *sql.Tx, nm *namer, b *monitor.Batch, now int64) ([]storedItem, error) {
	ch := chunker{st: db.stmts, tx: tx, kind: "incidents"}
	source, err := nm.text(ctx, b.Source)
	if err != nil {
		return nil, fmt.Errorf("insert incidents: %w", err)
	}
	fresh := make([]storedItem, 0, len(b.Items))
	order := make([]int, len(b.Items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return strings.Compare(b.Items[x].Incident.ID, b.Items[y].Incident.ID)
	})
	first := make(map[string]int, chunkRows) // id → first item of the chunk with it
	args := make([]any, 0, chunkRows*incidentCols)
	for start, end := 0, 0; start < len(b.Items); start = end {
		end = start + chunkSize(len(b.Items)-start)
		args = append(args[:0], source, now)
		clear(first)
		for _, i := range order[start:end] {
			inc := &b.Items[i].Incident
			category, err := nm.text(ctx, string(inc.Category))
			if err != nil {
				return nil, fmt.Errorf("insert incidents: %w", err)
			}
			zones, err := encodeZones(ctx, nm, b.Items[i].Zones)
			if err != nil {
				return nil, fmt.Errorf("insert incidents: %w", err)
			}
			raw, shape, err := storedRaw(ctx, nm, inc.Raw)
			if err != nil {
				return nil, fmt.Errorf("insert incidents: %w", err)
			}
			args = append(args, inc.ID, inc.OccurredAt.UnixNano(), inc.Lon, inc.Lat,
				inc.UncertaintyM, category, inc.Confidence, raw, zones, shape)
			if _, ok := first[inc.ID]; !ok {
				first[inc.ID] = i
			}
		}
		err := ch.query(ctx, end-start, args, func(rows *sql.Rows) error {
			var rowid int64
			var id string
			if err := rows.Scan(&rowid, &id); err != nil {
				return err
			}
			fresh = append(fresh, storedItem{first[id], rowid})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("insert incidents: %w", err)
		}
	}
	slices.SortFunc(fresh, func(x, y storedItem) int { return x.item - y.item })
	return fresh, nil
}

// storedKey identifies a violation: the ids of its trial and zone, and
// the rowid of its incident.
type storedKey struct {
	trial, zone, incident int64
}

// insertViolations inserts vs, whose incidents are the incidents rows of
// the same index in incidents, in chunks and returns those it stored, in
// the order of vs, their rowids and their indexes in vs.
func (db *DB) insertViolations(ctx context.Context, tx *sql.Tx, nm *namer, vs []monitor.Violation, incidents []int64) ([]monitor.Violation, []int64, []int, error) {
	if len(vs) == 0 {
		return nil, nil, nil, nil
	}
	ch := chunker{st: db.stmts, tx: tx, kind: "violations"}
	index := make(map[storedKey]int, min(len(vs), chunkRows))
	type row struct {
		v     int // in vs
		rowid int64
	}
	stored := make([]row, 0, len(vs))
	args := make([]any, 0, chunkRows*violationCols)
	single, err := nm.text(ctx, tierSingle)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("insert violations: %w", err)
	}
	for start, end := 0, 0; start < len(vs); start = end {
		end = start + chunkSize(len(vs)-start)
		args = append(args[:0], single)
		clear(index)
		for i := start; i < end; i++ {
			v := &vs[i]
			refs, err := violationRefs(ctx, nm, v)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("insert violations: %w", err)
			}
			args = append(args, refs.trial, refs.zone, incidents[i], refs.category,
				v.OccurredAt.UnixNano(), v.Lon, v.Lat, refs.placement, v.Day, refs.zoneVersion, refs.config)
			index[storedKey{refs.trial, refs.zone, incidents[i]}] = i
		}
		err := ch.query(ctx, end-start, args, func(rows *sql.Rows) error {
			var k storedKey
			var rowid int64
			if err := rows.Scan(&rowid, &k.trial, &k.zone, &k.incident); err != nil {
				return err
			}
			stored = append(stored, row{index[k], rowid})
			return nil
		})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("insert violations: %w", err)
		}
	}
	slices.SortFunc(stored, func(x, y row) int { return x.v - y.v })
	rowids := make([]int64, len(stored))
	picked := make([]int, len(stored))
	for i, r := range stored {
		rowids[i], picked[i] = r.rowid, r.v
	}
	if len(stored) == len(vs) { // all of vs, in order: the usual case
		return vs, rowids, picked, nil
	}
	// A Violation is large: copying each (1.9 CPU s in a stored replay of
	// 1.26 M) is for the rare batch where some were stored before.
	out := make([]monitor.Violation, len(stored))
	for i, v := range picked {
		out[i] = vs[v]
	}
	return out, rowids, picked, nil
}
