package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// countKey identifies one daily count.
type countKey struct {
	day                    int64 // days since 1970-01-01 (UTC)
	zone, source, category string
}

// countDeltas are the changes one batch makes to the daily counts.
type countDeltas map[countKey]int64

// unixDay returns the days since 1970-01-01 of the UTC day of t.
func unixDay(t time.Time) int64 {
	return monitor.DayOf(t).Unix() / int64(monitor.Day/time.Second)
}

// fromUnixDay is the inverse of unixDay.
func fromUnixDay(d int64) time.Time {
	return time.Unix(d*int64(monitor.Day/time.Second), 0).UTC()
}

// add adds sign to the counts of the zones of it.
func (c countDeltas) add(it *monitor.Item, source string, sign int64) {
	c.addZones(it.Zones, unixDay(it.Incident.OccurredAt), source, string(it.Incident.Category), sign)
}

func (c countDeltas) addZones(zones []string, day int64, source, category string, sign int64) {
	for i, z := range zones {
		if containsBefore(zones, i) {
			continue // a zone listed twice counts once
		}
		c[countKey{day: day, zone: z, source: source, category: category}] += sign
	}
}

// containsBefore reports whether zones[i] occurs in zones[:i].
func containsBefore(zones []string, i int) bool {
	for _, z := range zones[:i] {
		if z == zones[i] {
			return true
		}
	}
	return false
}

// encodeZones returns the stored form of an incident's zones: the JSON
// array of the ids of their names, storing those new.
func encodeZones(ctx context.Context, nm *namer, zones []string) (string, error) {
	if len(zones) == 0 {
		return "", nil
	}
	b := make([]byte, 0, 2+4*len(zones))
	b = append(b, '[')
	for i, z := range zones {
		id, err := nm.text(ctx, z)
		if err != nil {
			return "", fmt.Errorf("store zones: %w", err)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']')), nil
}

// decodeZones decodes the zones of an incident as the view incident_rows
// shows them: a JSON array of zone ids, or "" for none.
func decodeZones(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var zones []string
	if err := json.Unmarshal([]byte(s), &zones); err != nil {
		return nil, fmt.Errorf("stored zones %q: %w", s, err)
	}
	return zones, nil
}

// uncount takes the counts of a stored incident back (none when it was
// deleted already).
func (r *reviser) uncount(old storedIncident) error {
	if old.deleted {
		return nil
	}
	zones, err := decodeZones(old.zones)
	if err != nil {
		return err
	}
	r.counts.addZones(zones, unixDay(fromNanos(old.occurredAt)), r.source, old.category, -1)
	return nil
}

// applyCounts adds the deltas to the daily counts inside tx.
func (db *DB) applyCounts(ctx context.Context, tx *sql.Tx, c countDeltas) error {
	if len(c) == 0 {
		return nil
	}
	stmt, err := db.stmts.in(ctx, tx, countUpsertSQL)
	if err != nil {
		return fmt.Errorf("daily counts: %w", err)
	}
	for k, n := range c {
		if n == 0 {
			continue
		}
		if _, err := stmt.ExecContext(ctx, k.day, k.zone, k.source, k.category, n); err != nil {
			return fmt.Errorf("add daily counts: %w", err)
		}
	}
	return nil
}

// tierUpdateSQL sets the tier of the violations of one incident in one
// trial. The index is named: the primary key's prefix (trial) matches as
// well, and a planner that took it would scan the trial's violations for
// each update.
const tierUpdateSQL = `UPDATE violations INDEXED BY violations_by_incident SET tier_ref = ?
WHERE incident_ref = (SELECT rowid FROM incidents WHERE source_ref = ?3 AND id = ?4) AND trial_ref = ?2`

// applyTiers sets the tiers of violations; an update without a source is
// of an incident of source. An update of a trial or source that no
// violation names changes nothing. fresh holds the ids of the incidents of
// source that the batch stored as new rows: their violations are all the
// batch's, stored single.
//
// Only the last update of each (trial, source, id) is run, as each sets
// the same rows; and not one that leaves a fresh incident's violations
// single, which changes nothing. A pushed batch, whose new reports mostly
// stay single, so runs no update instead of one per violation (a fifth of
// a push commit's CPU in the saturated push benchmark).
func (db *DB) applyTiers(ctx context.Context, tx *sql.Tx, nm *namer, source string, tiers []monitor.TierUpdate, fresh map[string]bool) error {
	if len(tiers) == 0 {
		return nil
	}
	type key struct{ trial, source, id string }
	last := make(map[key]int, len(tiers))
	for i, u := range tiers {
		last[key{u.Trial, cmp.Or(u.Source, source), u.IncidentID}] = i
	}
	var stmt *sql.Stmt
	for i, u := range tiers {
		k := key{u.Trial, cmp.Or(u.Source, source), u.IncidentID}
		if last[k] != i || (u.Tier == tierSingle && k.source == source && fresh[k.id]) {
			continue
		}
		if stmt == nil {
			var err error
			if stmt, err = db.stmts.in(ctx, tx, tierUpdateSQL); err != nil {
				return fmt.Errorf("set tiers: %w", err)
			}
		}
		trial, ok, err := nm.lookupText(ctx, u.Trial)
		if err != nil || !ok {
			if err != nil {
				return fmt.Errorf("set tier of %s/%s: %w", u.Trial, u.IncidentID, err)
			}
			continue
		}
		src, ok, err := nm.lookupText(ctx, k.source)
		if err != nil || !ok {
			if err != nil {
				return fmt.Errorf("set tier of %s/%s: %w", u.Trial, u.IncidentID, err)
			}
			continue
		}
		tier, err := nm.text(ctx, u.Tier)
		if err != nil {
			return fmt.Errorf("set tier of %s/%s: %w", u.Trial, u.IncidentID, err)
		}
		_, err = stmt.ExecContext(ctx, tier, trial, src, u.IncidentID)
		if err != nil {
			return fmt.Errorf("set tier of %s/%s: %w", u.Trial, u.IncidentID, err)
		}
	}
	return nil
}

// AddCounts adds counts to the daily counts in one transaction.
func (db *DB) AddCounts(ctx context.Context, counts []monitor.DailyCount) error {
	c := make(countDeltas, len(counts))
	for _, n := range counts {
		c[countKey{day: unixDay(n.Day), zone: n.ZoneID, source: n.Source, category: string(n.Category)}] += n.Count
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // no-op after Commit
	if err := db.applyCounts(ctx, tx, c); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit daily counts: %w", err)
	}
	return nil
}

// DailyCounts returns the non-zero daily counts of the UTC days in
// [from, to), by day, zone, source and category.
func (db *DB) DailyCounts(ctx context.Context, from, to time.Time) ([]monitor.DailyCount, error) {
	var out []monitor.DailyCount
	err := db.each(ctx, `SELECT day, zone_id, source, category, count FROM daily_counts
WHERE day >= ? AND day < ? AND count != 0 ORDER BY day, zone_id, source, category`,
		[]any{unixDay(from), unixDay(to)}, func(rows *sql.Rows) error {
			var c monitor.DailyCount
			var day int64
			var cat string
			if err := rows.Scan(&day, &c.ZoneID, &c.Source, &cat, &c.Count); err != nil {
				return err
			}
			c.Day, c.Category = fromUnixDay(day), monitor.Category(cat)
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read daily counts: %w", err)
	}
	return out, nil
}
