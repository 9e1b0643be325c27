package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// ErrNoStore is wrapped by the error of OpenReader when the folder holds no
// database.
var ErrNoStore = errors.New("no store")

// OpenReader opens the existing database in dir for queries only, for a
// report or an inspection while the daemon may be running: unlike
// Options.ReadOnly it reads the write-ahead log, as any SQLite reader does,
// and so sees every committed batch. It creates nothing but the -shm and
// -wal files SQLite needs to read a WAL database (none while the daemon
// runs, as they exist then), migrates nothing and refuses a database of
// another schema version. Every write fails. A folder without a database
// is an error wrapping ErrNoStore.
func OpenReader(dir string, opts Options) (*DB, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w in %s: %s does not exist (the daemon or replay creates it)", ErrNoStore, dir, FileName)
		}
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r, err := sql.Open("sqlite", readerDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	var version int
	if err := r.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&version); err != nil {
		r.Close()
		if walPending(path) {
			return nil, fmt.Errorf("open %s for reading: %w", path, err)
		}
		// A folder this user may not write, with no log to read: the
		// immutable open needs no -shm file.
		return Open(dir, Options{Logger: logger, Now: opts.Now, ReadOnly: true})
	}
	if version != SchemaVersion {
		r.Close()
		return nil, fmt.Errorf("open %s for reading: schema version %d, want %d", path, version, SchemaVersion)
	}
	return &DB{path: path, log: logger, now: time.Now, r: r, w: r, readOnly: true}, nil
}

// walPending reports whether the database at path has a non-empty
// write-ahead log, which the immutable read-only open refuses.
func walPending(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

// readerDSN is dsn for a query-only connection that reads the WAL.
func readerDSN(path string) string {
	d := dsn(path, true)
	return d + "&mode=ro"
}

// The queries of TrialViolations and TrialTiers: the violations of a
// trial, along the primary key, sorted.
const (
	trialViolationsSQL = "SELECT " + violationColumns + ` FROM violation_rows WHERE trial = ?
ORDER BY occurred_at, zone_id, source, incident_id`
	trialTiersSQL = `SELECT source, incident_id, MIN(tier) FROM violation_rows WHERE trial = ?
GROUP BY source, incident_id ORDER BY source, incident_id`
)

// TrialViolations returns the standing violations of trial, ambiguous
// placements included, with the zone and config versions they were judged
// under, ordered by event time, then zone_id, source and incident_id.
// Retracted violations are left out.
func (db *DB) TrialViolations(ctx context.Context, trial string) ([]monitor.Violation, error) {
	out, err := db.violations(ctx, nil, trialViolationsSQL, trial)
	if err != nil {
		return nil, fmt.Errorf("read violations of trial %q: %w", trial, err)
	}
	return out, nil
}

// TrialTiers returns the corroboration tier ("single" or "corroborated")
// of every incident with a standing violation of trial, ambiguous
// placements included, ordered by source and incident_id: one tier per
// incident, which holds for each zone it violates (were they ever to
// differ, the better wins: "corroborated" sorts before "single").
func (db *DB) TrialTiers(ctx context.Context, trial string) ([]monitor.TierUpdate, error) {
	var out []monitor.TierUpdate
	err := db.each(ctx, trialTiersSQL, []any{trial}, func(rows *sql.Rows) error {
		u := monitor.TierUpdate{Trial: trial}
		if err := rows.Scan(&u.Source, &u.IncidentID, &u.Tier); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read tiers of trial %q: %w", trial, err)
	}
	return out, nil
}

// StoredIncident is one stored incident with its raw record and whether
// its source has since withdrawn it.
type StoredIncident struct {
	monitor.Incident
	Deleted bool
}

// Incident returns the stored incident (source, id); ok is false when
// there is none.
func (db *DB) Incident(ctx context.Context, source, id string) (inc StoredIncident, ok bool, err error) {
	const q = `SELECT occurred_at, lon, lat, uncertainty_m, category, confidence, raw, deleted_at IS NOT NULL, raw_shape
FROM incident_rows WHERE source = ? AND id = ?`
	var at int64
	var shape sql.NullString
	inc.Source, inc.ID = source, id
	err = db.r.QueryRowContext(ctx, q, source, id).Scan(&at, &inc.Lon, &inc.Lat, &inc.UncertaintyM,
		&inc.Category, &inc.Confidence, &inc.Raw, &inc.Deleted, &shape)
	if errors.Is(err, sql.ErrNoRows) {
		return StoredIncident{}, false, nil
	}
	if err != nil {
		return StoredIncident{}, false, fmt.Errorf("read incident %q of source %q: %w", id, source, err)
	}
	inc.OccurredAt, inc.Raw = fromNanos(at), rawOf(inc.Raw, shape)
	return inc, true, nil
}

// LastCommit returns the time of the newest change to incidents, cursors
// and retractions (the store's clock at commit), or the zero time for a
// store that holds none. Alert state is not counted: it changes without the
// evidence changing. It reads every incident, as ingested_at has no index.
func (db *DB) LastCommit(ctx context.Context) (time.Time, error) {
	const q = `SELECT MAX(COALESCE((SELECT MAX(ingested_at) FROM incidents), 0),
  COALESCE((SELECT MAX(updated_at) FROM cursors), 0),
  COALESCE((SELECT MAX(retracted_at) FROM retracted_violations), 0))`
	var n int64
	if err := db.r.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return time.Time{}, fmt.Errorf("read time of last commit: %w", err)
	}
	if n == 0 {
		return time.Time{}, nil
	}
	return fromNanos(n), nil
}
