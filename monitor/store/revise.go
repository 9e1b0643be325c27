package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
)

// reviser applies revisions and deletions inside one commit's transaction.
// A revision is an incident whose (source, id) is stored with other
// content, or was deleted: the stored row takes the new content, and its
// violations are compared with the new ones by (trial, zone): a standing
// violation the new content does not produce with the same category and
// placement is retracted (moved to retracted_violations), a new one is
// inserted, and one that stays has its evidence updated in place. Revisions
// are rare, so they use plain per-row statements.
type reviser struct {
	db     *DB
	tx     *sql.Tx
	names  *namer
	source string
	now    int64
	counts countDeltas // daily counts the batch moves

	revised, deleted int
	revisedItems     []storedItem // the items revised, by ascending index
	added, retracted []monitor.Violation
	addedRows        []int64 // the rowids of added
	// gone holds the rowids of the violations rows the batch deleted: a
	// row inserted by the batch and deleted by it too (a new incident
	// deleted in the same batch) cannot back a lean leaf.
	gone map[int64]bool
}

// storedIncident is the content of a stored incident that a revision is
// compared with.
type storedIncident struct {
	occurredAt          int64
	lon, lat, unc, conf float64
	category, raw       string
	zones               string // as stored: JSON array of zone ids
	deleted             bool
	rowid               int64
}

// same reports whether s, not deleted, holds inc's content.
func (s storedIncident) same(inc *monitor.Incident) bool {
	return s.sameFields(inc) && s.category == string(inc.Category) && s.raw == inc.Raw
}

// sameFields reports whether s is not deleted and holds inc's time,
// place, uncertainty and confidence: all of same but the category and the
// raw record, which unchanged compares as stored.
func (s storedIncident) sameFields(inc *monitor.Incident) bool {
	return !s.deleted && s.occurredAt == inc.OccurredAt.UnixNano() && s.lon == inc.Lon && s.lat == inc.Lat &&
		s.unc == inc.UncertaintyM && s.conf == inc.Confidence
}

// revise finds, among the items of b not stored fresh, those whose stored
// content differs, and revises them. Of several items with one id, the
// first is the one considered, as for new incidents.
func (r *reviser) revise(ctx context.Context, b *monitor.Batch, fresh []storedItem) error {
	isFresh := make(map[int]bool, len(fresh))
	for _, f := range fresh {
		isFresh[f.item] = true
	}
	seen := map[string]bool{}
	var stored []int // the items to compare with what is stored
	for i := range b.Items {
		id := b.Items[i].Incident.ID
		if seen[id] {
			continue
		}
		seen[id] = true
		if !isFresh[i] {
			stored = append(stored, i)
		}
	}
	rows, err := r.readStored(ctx, b, stored)
	if err != nil {
		return err
	}
	for _, i := range stored {
		id := b.Items[i].Incident.ID
		row, ok := rows[id]
		if !ok {
			return fmt.Errorf("read stored incident %q: %w", id, sql.ErrNoRows)
		}
		same, err := r.unchanged(ctx, &b.Items[i].Incident, row)
		if err != nil {
			return err
		}
		if same {
			continue
		}
		old, err := r.load(ctx, id)
		if err != nil {
			return err
		}
		if old.same(&b.Items[i].Incident) {
			continue
		}
		if err := r.uncount(old); err != nil {
			return fmt.Errorf("revise incident %q: %w", id, err)
		}
		r.counts.add(&b.Items[i], r.source, 1)
		if err := r.apply(ctx, &b.Items[i], old); err != nil {
			return fmt.Errorf("revise incident %q: %w", id, err)
		}
		r.revised++
		r.revisedItems = append(r.revisedItems, storedItem{i, old.rowid})
	}
	return nil
}

// sameIncidentsSQL returns a SELECT of what unchanged compares of n
// incidents of one source (?1), by id (the other parameters), read from
// the table itself: the view that load reads names every id and unpacks
// the zones, which a duplicate, most items of a replay run twice, never
// needs.
func sameIncidentsSQL(n int) string {
	return "SELECT id, occurred_at, lon, lat, uncertainty_m, confidence, category_ref, raw, raw_shape, " +
		"deleted_at IS NOT NULL FROM incidents WHERE source_ref = ?1 AND id IN (?" + strings.Repeat(",?", n-1) + ")"
}

// storedRow is what unchanged compares of a stored incident: its fields,
// with its category and the shape of its raw record as names ids.
type storedRow struct {
	s        storedIncident
	category int64
	shape    sql.NullInt64
}

// readStored reads the stored rows of the incidents of the items of b at
// indexes, of distinct ids, in chunks of up to chunkRows ids a statement,
// by id. One statement per item took most of a commit of duplicates.
func (r *reviser) readStored(ctx context.Context, b *monitor.Batch, items []int) (map[string]storedRow, error) {
	if len(items) == 0 {
		return nil, nil
	}
	source, ok, err := r.names.lookupText(ctx, r.source)
	if err != nil || !ok {
		return nil, err
	}
	out := make(map[string]storedRow, len(items))
	ch := chunker{st: r.db.stmts, tx: r.tx, kind: "same incidents"}
	args := make([]any, 0, 1+min(len(items), chunkRows))
	for start, end := 0, 0; start < len(items); start = end {
		end = start + chunkSize(len(items)-start)
		args = append(args[:0], source)
		for _, i := range items[start:end] {
			args = append(args, b.Items[i].Incident.ID)
		}
		err := ch.query(ctx, end-start, args, func(rows *sql.Rows) error {
			var id string
			var row storedRow
			if err := rows.Scan(&id, &row.s.occurredAt, &row.s.lon, &row.s.lat, &row.s.unc, &row.s.conf,
				&row.category, &row.s.raw, &row.shape, &row.s.deleted); err != nil {
				return err
			}
			out[id] = row
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read stored incidents: %w", err)
		}
	}
	return out, nil
}

// unchanged reports whether row, the stored incident of inc's id, holds
// the same content as inc and is not deleted, comparing ids of names and
// the raw record as stored (packed or not) instead of reading them back.
func (r *reviser) unchanged(ctx context.Context, inc *monitor.Incident, row storedRow) (bool, error) {
	if !row.s.sameFields(inc) {
		return false, nil
	}
	if c, ok, err := r.names.lookupText(ctx, string(inc.Category)); err != nil || !ok || c != row.category {
		return false, err
	}
	if !row.shape.Valid {
		return row.s.raw == inc.Raw, nil
	}
	// A record stored packed is one that packs, and to the same shape and
	// values only when it is the same record.
	sh, values, ok := packRaw(inc.Raw)
	if !ok || values != row.s.raw {
		return false, nil
	}
	id, ok, err := r.names.lookupText(ctx, sh)
	return ok && id == row.shape.Int64, err
}

// loadIncidentSQL reads the stored content of one incident.
const loadIncidentSQL = `SELECT occurred_at, lon, lat, uncertainty_m, confidence, category, raw, zones, deleted_at, ref, raw_shape
FROM incident_rows WHERE source = ? AND id = ?`

func (r *reviser) load(ctx context.Context, id string) (storedIncident, error) {
	var s storedIncident
	var deleted sql.NullInt64
	var shape sql.NullString
	err := r.tx.QueryRowContext(ctx, loadIncidentSQL, r.source, id).Scan(
		&s.occurredAt, &s.lon, &s.lat, &s.unc, &s.conf, &s.category, &s.raw, &s.zones, &deleted, &s.rowid, &shape)
	if err != nil {
		return s, fmt.Errorf("read stored incident %q: %w", id, err)
	}
	s.raw = rawOf(s.raw, shape)
	s.deleted = deleted.Valid
	return s, nil
}

// apply stores the new content of it over old and settles its violations.
// A lean leaf of the old content is stored in full first, as the row it is
// rebuilt from changes.
func (r *reviser) apply(ctx context.Context, it *monitor.Item, old storedIncident) error {
	inc := &it.Incident
	if err := keepLeafOf(ctx, r.tx, old.rowid, storedLeaf(r.source, inc.ID, old.occurredAt, old.lon, old.lat,
		old.unc, old.category, old.conf, []byte(old.raw))); err != nil {
		return err
	}
	category, err := r.names.text(ctx, string(inc.Category))
	if err != nil {
		return err
	}
	zones, err := encodeZones(ctx, r.names, it.Zones)
	if err != nil {
		return err
	}
	raw, shape, err := storedRaw(ctx, r.names, inc.Raw)
	if err != nil {
		return err
	}
	_, err = r.tx.ExecContext(ctx, `UPDATE incidents SET occurred_at = ?, lon = ?, lat = ?, uncertainty_m = ?,
category_ref = ?, confidence = ?, raw = ?, raw_shape = ?, ingested_at = ?, zones = ?, deleted_at = NULL WHERE rowid = ?`,
		inc.OccurredAt.UnixNano(), inc.Lon, inc.Lat, inc.UncertaintyM, category, inc.Confidence,
		raw, shape, r.now, zones, old.rowid)
	if err != nil {
		return err
	}
	standing, err := r.standing(ctx, inc.ID, old.rowid)
	if err != nil {
		return err
	}
	next := uniqueViolations(nil, it, r.source)
	for _, o := range standing {
		i := slices.IndexFunc(next, func(n monitor.Violation) bool { return n.Trial == o.Trial && n.ZoneID == o.ZoneID })
		if i >= 0 && next[i].Category == o.Category && next[i].Placement == o.Placement {
			if err := r.update(ctx, o.rowid, next[i]); err != nil {
				return err
			}
			next = slices.Delete(next, i, i+1)
			continue
		}
		if err := r.retract(ctx, o); err != nil {
			return err
		}
	}
	stored, rowids, _, err := r.db.insertViolations(ctx, r.tx, r.names, next, slices.Repeat([]int64{old.rowid}, len(next)))
	if err != nil {
		return err
	}
	r.added = append(r.added, stored...)
	r.addedRows = append(r.addedRows, rowids...)
	return nil
}

// delete marks a stored incident deleted and retracts its violations; an
// unknown or already deleted id changes nothing.
func (r *reviser) delete(ctx context.Context, id string) error {
	old, err := r.load(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	res, err := r.tx.ExecContext(ctx, `UPDATE incidents SET deleted_at = ? WHERE rowid = ? AND deleted_at IS NULL`,
		r.now, old.rowid)
	if err != nil {
		return fmt.Errorf("delete incident %q: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	r.deleted++
	if err := r.uncount(old); err != nil {
		return fmt.Errorf("delete incident %q: %w", id, err)
	}
	standing, err := r.standing(ctx, id, old.rowid)
	if err != nil {
		return err
	}
	for _, o := range standing {
		if err := r.retract(ctx, o); err != nil {
			return fmt.Errorf("delete incident %q: %w", id, err)
		}
	}
	return nil
}

const violationColumns = "trial, zone_id, category, source, incident_id, occurred_at, lon, lat, placement, day, zone_version, config_sha256"

// standingSQL reads the violations of one incident, by the rowid of its
// incidents row, with their rowids. The index is named for the reason
// given at tierUpdateSQL.
const standingSQL = "SELECT " + violationColumns + ", id FROM violation_rows WHERE id IN (SELECT rowid FROM violations" +
	" INDEXED BY violations_by_incident WHERE incident_ref = ?) ORDER BY trial, zone_id"

// standingViolation is a stored violation and its rowid.
type standingViolation struct {
	monitor.Violation
	rowid int64
}

// standing returns the stored violations of incident id, whose incidents
// row is rowid.
func (r *reviser) standing(ctx context.Context, id string, rowid int64) ([]standingViolation, error) {
	rows, err := r.tx.QueryContext(ctx, standingSQL, rowid)
	if err != nil {
		return nil, fmt.Errorf("read violations of %q: %w", id, err)
	}
	defer rows.Close()
	var out []standingViolation
	for rows.Next() {
		var s standingViolation
		var err error
		if s.Violation, err = scanViolation(rows, &s.rowid); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// retract moves one standing violation to retracted_violations.
func (r *reviser) retract(ctx context.Context, v standingViolation) error {
	_, err := r.tx.ExecContext(ctx, "INSERT INTO retracted_violations ("+violationColumns+", retracted_at) SELECT "+
		violationColumns+", ? FROM violation_rows WHERE id = ?", r.now, v.rowid)
	if err == nil {
		_, err = r.tx.ExecContext(ctx, "DELETE FROM violations WHERE rowid = ?", v.rowid)
	}
	if err != nil {
		return fmt.Errorf("retract violation %s: %w", strings.Join([]string{v.Trial, v.ZoneID, v.IncidentID}, "/"), err)
	}
	if r.gone == nil {
		r.gone = make(map[int64]bool)
	}
	r.gone[v.rowid] = true
	r.retracted = append(r.retracted, v.Violation)
	return nil
}

// update rewrites the evidence of the violation of rowid, which a
// revision keeps, to that of v.
func (r *reviser) update(ctx context.Context, rowid int64, v monitor.Violation) error {
	zoneVersion, err := r.names.digest(ctx, v.ZoneVersion)
	if err != nil {
		return fmt.Errorf("update violation: %w", err)
	}
	config, err := r.names.digest(ctx, v.Config)
	if err != nil {
		return fmt.Errorf("update violation: %w", err)
	}
	_, err = r.tx.ExecContext(ctx, `UPDATE violations SET occurred_at = ?, lon = ?, lat = ?, day = ?,
zone_version_ref = ?, config_ref = ? WHERE rowid = ?`,
		v.OccurredAt.UnixNano(), v.Lon, v.Lat, v.Day, zoneVersion, config, rowid)
	if err != nil {
		return fmt.Errorf("update violation: %w", err)
	}
	return nil
}
