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
	for i := range b.Items {
		id := b.Items[i].Incident.ID
		if seen[id] {
			continue
		}
		seen[id] = true
		if isFresh[i] {
			continue
		}
		same, err := r.unchanged(ctx, &b.Items[i].Incident)
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

// sameIncidentSQL reads what unchanged compares of one incident, from the
// table itself: the view that load reads names every id and unpacks the
// zones, which a duplicate, most items of a replay run twice, never needs.
const sameIncidentSQL = `SELECT occurred_at, lon, lat, uncertainty_m, confidence, category_ref, raw, raw_shape,
	deleted_at IS NOT NULL FROM incidents WHERE source_ref = ? AND id = ?`

// unchanged reports whether the stored incident of inc's id holds the same
// content as inc and is not deleted, comparing ids of names and the raw
// record as stored (packed or not) instead of reading them back.
func (r *reviser) unchanged(ctx context.Context, inc *monitor.Incident) (bool, error) {
	source, ok, err := r.names.lookupText(ctx, r.source)
	if err != nil || !ok {
		return false, err
	}
	st, err := r.db.stmts.in(ctx, r.tx, sameIncidentSQL)
	if err != nil {
		return false, fmt.Errorf("read stored incident %q: %w", inc.ID, err)
	}
	var (
		s        storedIncident
		category int64
		shape    sql.NullInt64
	)
	err = st.QueryRowContext(ctx, source, inc.ID).Scan(&s.occurredAt, &s.lon, &s.lat, &s.unc, &s.conf,
		&category, &s.raw, &shape, &s.deleted)
	if err != nil {
		return false, fmt.Errorf("read stored incident %q: %w", inc.ID, err)
	}
	if !s.sameFields(inc) {
		return false, nil
	}
	if c, ok, err := r.names.lookupText(ctx, string(inc.Category)); err != nil || !ok || c != category {
		return false, err
	}
	if !shape.Valid {
		return s.raw == inc.Raw, nil
	}
	// A record stored packed is one that packs, and to the same shape and
	// values only when it is the same record.
	sh, values, ok := packRaw(inc.Raw)
	if !ok || values != s.raw {
		return false, nil
	}
	id, ok, err := r.names.lookupText(ctx, sh)
	return ok && id == shape.Int64, err
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
