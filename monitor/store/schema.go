package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations holds the schema, one entry per version: migrations[i] takes
// a database from user_version i to i+1. Entries are never edited once
// released; a change is a new entry.
var migrations = [...]string{
	// 1: the first schema. Times are unix nanoseconds (UTC).
	`
CREATE TABLE incidents (
	source        TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	occurred_at   INTEGER NOT NULL,
	lon           REAL    NOT NULL,
	lat           REAL    NOT NULL,
	uncertainty_m REAL    NOT NULL,
	category      TEXT    NOT NULL,
	confidence    REAL    NOT NULL, -- 0..100, -1 when the source gives none
	raw           TEXT    NOT NULL,
	ingested_at   INTEGER NOT NULL,
	PRIMARY KEY (source, id)
);

CREATE TABLE violations (
	trial       TEXT    NOT NULL,
	zone_id     TEXT    NOT NULL,
	category    TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	incident_id TEXT    NOT NULL,
	occurred_at INTEGER NOT NULL,
	lon         REAL    NOT NULL,
	lat         REAL    NOT NULL,
	placement   TEXT    NOT NULL,
	day         INTEGER NOT NULL, -- 0-based trial day
	PRIMARY KEY (trial, zone_id, source, incident_id),
	FOREIGN KEY (source, incident_id) REFERENCES incidents (source, id)
);
CREATE INDEX violations_by_category ON violations (trial, zone_id, category, occurred_at);
CREATE INDEX violations_by_day ON violations (trial, zone_id, day);
-- Matches the ORDER BY of recent-violation queries, so LIMIT stops early.
CREATE INDEX violations_by_time ON violations (occurred_at DESC, trial, zone_id, source, incident_id);

CREATE TABLE cursors (
	source     TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (source, key)
) WITHOUT ROWID;

CREATE TABLE state (
	key        TEXT    NOT NULL PRIMARY KEY,
	value      BLOB    NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
	// 2: revisions and deletions. A violation that a revised or deleted
	// incident no longer supports moves to retracted_violations, so that
	// counts of violations ever stored only grow.
	`
ALTER TABLE incidents ADD COLUMN deleted_at INTEGER; -- set when the source withdrew it
CREATE INDEX violations_by_incident ON violations (source, incident_id);
CREATE TABLE retracted_violations (
	trial        TEXT    NOT NULL,
	zone_id      TEXT    NOT NULL,
	category     TEXT    NOT NULL,
	source       TEXT    NOT NULL,
	incident_id  TEXT    NOT NULL,
	occurred_at  INTEGER NOT NULL,
	lon          REAL    NOT NULL,
	lat          REAL    NOT NULL,
	placement    TEXT    NOT NULL,
	day          INTEGER NOT NULL,
	retracted_at INTEGER NOT NULL
);
CREATE INDEX retracted_by_category ON retracted_violations (trial, zone_id, category);
`,
	// 3: the evidence log (see package evidence), written in the
	// transaction of the batch it records, and the versions a violation
	// was judged under: SHA-256 digests of its zone file and config file
	// (NULL for violations stored before).
	`
CREATE TABLE evidence_leaves (
	idx    INTEGER PRIMARY KEY, -- 0-based leaf index, dense
	kind   TEXT    NOT NULL,
	data   BLOB    NOT NULL,    -- the leaf's canonical encoding
	-- The tlog stored hashes the leaf adds, 32 bytes each: its leaf
	-- hash, then the hash of every subtree it completes, level by level.
	hashes BLOB    NOT NULL
);
ALTER TABLE violations ADD COLUMN zone_version BLOB;
ALTER TABLE violations ADD COLUMN config_sha256 BLOB;
ALTER TABLE retracted_violations ADD COLUMN zone_version BLOB;
ALTER TABLE retracted_violations ADD COLUMN config_sha256 BLOB;
`,
	// 4: judging. Daily counts of every located incident per zone, source
	// and category (maintained with each batch, or added by a counts-only
	// replay); the zones each incident was counted in, so that a revision
	// or deletion can take its counts back; the corroboration tier of
	// each violation; and every fetch or push attempt, for coverage.
	`
ALTER TABLE incidents ADD COLUMN zones TEXT NOT NULL DEFAULT ''; -- JSON array of zone ids; '' counted nowhere
ALTER TABLE violations ADD COLUMN tier TEXT NOT NULL DEFAULT 'single';
CREATE TABLE daily_counts (
	day      INTEGER NOT NULL, -- days since 1970-01-01 (UTC)
	zone_id  TEXT    NOT NULL,
	source   TEXT    NOT NULL,
	category TEXT    NOT NULL,
	count    INTEGER NOT NULL,
	PRIMARY KEY (day, zone_id, source, category)
) WITHOUT ROWID;
CREATE TABLE fetch_attempts (
	at     INTEGER NOT NULL,
	source TEXT    NOT NULL,
	ok     INTEGER NOT NULL -- 1 succeeded, 0 failed
);
CREATE INDEX fetch_attempts_by_time ON fetch_attempts (at);
`,
	// 5: lean incident leaves. The leaf of an incident is no longer
	// stored but rebuilt, when read, from the incidents row ref (its
	// rowid); data is then empty. When a revision changes that row, the
	// leaf of its content until then goes to evidence_kept, for the
	// leaves below until_leaf. Leaves stored before keep their data.
	`
ALTER TABLE evidence_leaves ADD COLUMN ref INTEGER;
CREATE TABLE evidence_kept (
	ref        INTEGER NOT NULL, -- rowid of the incidents row revised
	until_leaf INTEGER NOT NULL, -- the log's size when it was revised
	data       BLOB    NOT NULL, -- the leaf of the row's content before
	PRIMARY KEY (ref, until_leaf)
) WITHOUT ROWID;
`,
	// Statements that rewrite whole tables say OR FAIL: SQLite then keeps
	// no statement journal (in memory, as temp_store is), and a failure
	// still rolls the whole migration back.
	//
	// 6: lean violation leaves. The leaf of a violation is rebuilt, when
	// read, from its violations row: ref is then minus the row's rowid
	// (incident refs are positive). violation_leaves gives the leaf of
	// each row, in the canonical encoding of package evidence (every field
	// is text or a digest). Before a row's leaf fields change or the row
	// goes, the triggers keep its leaf in evidence_kept, for the leaves
	// below until_leaf, whoever changes it. The violation leaves stored
	// before that the current row encodes byte for byte go lean too.
	`
CREATE VIEW violation_leaves (id, data) AS SELECT rowid, CAST('ceasefired-evidence-v1 violation' || char(10) ||
	'trial ' || length(CAST(trial AS BLOB)) || ':' || trial || char(10) ||
	'zone_id ' || length(CAST(zone_id AS BLOB)) || ':' || zone_id || char(10) ||
	'category ' || length(CAST(category AS BLOB)) || ':' || category || char(10) ||
	'placement ' || length(CAST(placement AS BLOB)) || ':' || placement || char(10) ||
	'source ' || length(CAST(source AS BLOB)) || ':' || source || char(10) ||
	'incident_id ' || length(CAST(incident_id AS BLOB)) || ':' || incident_id || char(10) ||
	'zone_version_sha256 64:' || lower(hex(zone_version)) || char(10) ||
	'config_sha256 64:' || lower(hex(config_sha256)) || char(10) AS BLOB)
FROM violations WHERE length(zone_version) = 32 AND length(config_sha256) = 32;
CREATE TRIGGER violations_keep_deleted BEFORE DELETE ON violations BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
CREATE TRIGGER violations_keep_updated
BEFORE UPDATE OF trial, zone_id, category, placement, source, incident_id, zone_version, config_sha256 ON violations
WHEN OLD.trial IS NOT NEW.trial OR OLD.zone_id IS NOT NEW.zone_id OR OLD.category IS NOT NEW.category
	OR OLD.placement IS NOT NEW.placement OR OLD.source IS NOT NEW.source OR OLD.incident_id IS NOT NEW.incident_id
	OR OLD.zone_version IS NOT NEW.zone_version OR OLD.config_sha256 IS NOT NEW.config_sha256 BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
CREATE TEMP TABLE lean_violations AS SELECT -id AS ref, data FROM violation_leaves;
CREATE INDEX temp.lean_violations_by_data ON lean_violations (data);
UPDATE OR FAIL evidence_leaves SET data = x'', ref = l.ref FROM temp.lean_violations l
WHERE evidence_leaves.kind = 'violation' AND evidence_leaves.ref IS NULL AND evidence_leaves.data = l.data;
DROP TABLE temp.lean_violations;
`,
	// 7: indexes only where a query needs them (see TestQueryPlans).
	// Totals and Days run when the daemon starts (and Totals when an
	// alerted violation is retracted): they scan the table. Recent and
	// Since need the event time alone; ties are few and sorted.
	`
DROP INDEX violations_by_category;
DROP INDEX violations_by_day;
DROP INDEX violations_by_time;
CREATE INDEX violations_by_occurred_at ON violations (occurred_at);
`,
	// 8: integer ids. Every trial, zone, category, source, placement and
	// tier of a violation, and the digests of its zone and config files,
	// are stored once in names, and the violation refers to them; the
	// view violation_rows shows the rows as they were. The rowids, which
	// lean leaves refer to, are kept. The violations no longer name their
	// incident by a foreign key, which cost a search of incidents per
	// insert; a commit stores both.
	`
CREATE TABLE names (
	id   INTEGER PRIMARY KEY,
	name NOT NULL UNIQUE -- text, or a blob for a SHA-256 digest
);
INSERT OR IGNORE INTO names (name) SELECT trial FROM violations;
INSERT OR IGNORE INTO names (name) SELECT zone_id FROM violations;
INSERT OR IGNORE INTO names (name) SELECT category FROM violations;
INSERT OR IGNORE INTO names (name) SELECT source FROM violations;
INSERT OR IGNORE INTO names (name) SELECT placement FROM violations;
INSERT OR IGNORE INTO names (name) SELECT tier FROM violations;
INSERT OR IGNORE INTO names (name) SELECT zone_version FROM violations WHERE zone_version IS NOT NULL;
INSERT OR IGNORE INTO names (name) SELECT config_sha256 FROM violations WHERE config_sha256 IS NOT NULL;
DROP TRIGGER violations_keep_deleted;
DROP TRIGGER violations_keep_updated;
DROP VIEW violation_leaves;
CREATE TABLE violations_by_id (
	trial_ref        INTEGER NOT NULL, -- names.id, as every _ref
	zone_ref         INTEGER NOT NULL,
	category_ref     INTEGER NOT NULL,
	source_ref       INTEGER NOT NULL,
	incident_id      TEXT    NOT NULL,
	occurred_at      INTEGER NOT NULL,
	lon              REAL    NOT NULL,
	lat              REAL    NOT NULL,
	placement_ref    INTEGER NOT NULL,
	day              INTEGER NOT NULL, -- 0-based trial day
	zone_version_ref INTEGER,          -- NULL: stored before versions were
	config_ref       INTEGER,
	tier_ref         INTEGER NOT NULL,
	PRIMARY KEY (trial_ref, zone_ref, source_ref, incident_id)
);
INSERT OR FAIL INTO violations_by_id (rowid, trial_ref, zone_ref, category_ref, source_ref, incident_id, occurred_at,
	lon, lat, placement_ref, day, zone_version_ref, config_ref, tier_ref)
SELECT v.rowid, (SELECT id FROM names WHERE name = v.trial), (SELECT id FROM names WHERE name = v.zone_id),
	(SELECT id FROM names WHERE name = v.category), (SELECT id FROM names WHERE name = v.source), v.incident_id,
	v.occurred_at, v.lon, v.lat, (SELECT id FROM names WHERE name = v.placement), v.day,
	(SELECT id FROM names WHERE name = v.zone_version), (SELECT id FROM names WHERE name = v.config_sha256),
	(SELECT id FROM names WHERE name = v.tier)
FROM violations v;
DROP TABLE violations;
ALTER TABLE violations_by_id RENAME TO violations;
CREATE INDEX violations_by_incident ON violations (source_ref, incident_id);
CREATE INDEX violations_by_occurred_at ON violations (occurred_at);
CREATE VIEW violation_rows (id, trial, zone_id, category, source, incident_id, occurred_at, lon, lat, placement, day,
	zone_version, config_sha256, tier) AS
SELECT v.rowid, t.name, z.name, c.name, s.name, v.incident_id, v.occurred_at, v.lon, v.lat, p.name, v.day,
	zv.name, cf.name, r.name
FROM violations v JOIN names t ON t.id = v.trial_ref JOIN names z ON z.id = v.zone_ref
	JOIN names c ON c.id = v.category_ref JOIN names s ON s.id = v.source_ref
	JOIN names p ON p.id = v.placement_ref JOIN names r ON r.id = v.tier_ref
	LEFT JOIN names zv ON zv.id = v.zone_version_ref LEFT JOIN names cf ON cf.id = v.config_ref;
CREATE VIEW violation_leaves (id, data) AS SELECT id, CAST('ceasefired-evidence-v1 violation' || char(10) ||
	'trial ' || length(CAST(trial AS BLOB)) || ':' || trial || char(10) ||
	'zone_id ' || length(CAST(zone_id AS BLOB)) || ':' || zone_id || char(10) ||
	'category ' || length(CAST(category AS BLOB)) || ':' || category || char(10) ||
	'placement ' || length(CAST(placement AS BLOB)) || ':' || placement || char(10) ||
	'source ' || length(CAST(source AS BLOB)) || ':' || source || char(10) ||
	'incident_id ' || length(CAST(incident_id AS BLOB)) || ':' || incident_id || char(10) ||
	'zone_version_sha256 64:' || lower(hex(zone_version)) || char(10) ||
	'config_sha256 64:' || lower(hex(config_sha256)) || char(10) AS BLOB)
FROM violation_rows WHERE length(zone_version) = 32 AND length(config_sha256) = 32;
CREATE TRIGGER violations_keep_deleted BEFORE DELETE ON violations BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
CREATE TRIGGER violations_keep_updated BEFORE UPDATE OF trial_ref, zone_ref, category_ref, placement_ref,
	source_ref, incident_id, zone_version_ref, config_ref ON violations
WHEN OLD.trial_ref IS NOT NEW.trial_ref OR OLD.zone_ref IS NOT NEW.zone_ref OR OLD.category_ref IS NOT NEW.category_ref
	OR OLD.placement_ref IS NOT NEW.placement_ref OR OLD.source_ref IS NOT NEW.source_ref
	OR OLD.incident_id IS NOT NEW.incident_id OR OLD.zone_version_ref IS NOT NEW.zone_version_ref
	OR OLD.config_ref IS NOT NEW.config_ref BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
`,
	// 9: incidents name their source, category and zones by the ids of
	// names too, rowids kept (lean leaves refer to them); the view
	// incident_rows shows them as before.
	`
INSERT OR IGNORE INTO names (name) SELECT source FROM incidents;
INSERT OR IGNORE INTO names (name) SELECT category FROM incidents;
INSERT OR IGNORE INTO names (name) SELECT j.value FROM incidents i, json_each(i.zones) j WHERE i.zones <> '';
CREATE TABLE incidents_by_id (
	source_ref    INTEGER NOT NULL, -- names.id, as category_ref
	id            TEXT    NOT NULL,
	occurred_at   INTEGER NOT NULL,
	lon           REAL    NOT NULL,
	lat           REAL    NOT NULL,
	uncertainty_m REAL    NOT NULL,
	category_ref  INTEGER NOT NULL,
	confidence    REAL    NOT NULL, -- 0..100, -1 when the source gives none
	raw           TEXT    NOT NULL,
	ingested_at   INTEGER NOT NULL,
	deleted_at    INTEGER,                 -- set when the source withdrew it
	zones         TEXT    NOT NULL DEFAULT '', -- JSON array of the names ids of zone ids; '' counted nowhere
	PRIMARY KEY (source_ref, id)
);
INSERT OR FAIL INTO incidents_by_id (rowid, source_ref, id, occurred_at, lon, lat, uncertainty_m, category_ref, confidence,
	raw, ingested_at, deleted_at, zones)
SELECT i.rowid, (SELECT id FROM names WHERE name = i.source), i.id, i.occurred_at, i.lon, i.lat, i.uncertainty_m,
	(SELECT id FROM names WHERE name = i.category), i.confidence, i.raw, i.ingested_at, i.deleted_at,
	CASE WHEN i.zones = '' THEN '' ELSE
		(SELECT json_group_array((SELECT id FROM names WHERE name = j.value)) FROM json_each(i.zones) j) END
FROM incidents i;
DROP TABLE incidents;
ALTER TABLE incidents_by_id RENAME TO incidents;
CREATE VIEW incident_rows (ref, source, id, occurred_at, lon, lat, uncertainty_m, category, confidence, raw,
	ingested_at, deleted_at, zones, source_ref) AS
SELECT i.rowid, s.name, i.id, i.occurred_at, i.lon, i.lat, i.uncertainty_m, c.name, i.confidence, i.raw,
	i.ingested_at, i.deleted_at, CASE WHEN i.zones = '' THEN '' ELSE
		(SELECT json_group_array(n.name) FROM json_each(i.zones) j JOIN names n ON n.id = j.value) END, i.source_ref
FROM incidents i JOIN names s ON s.id = i.source_ref JOIN names c ON c.id = i.category_ref;
`,
	// 10: raw records packed (see rawpack.go): a flat JSON object of text
	// values stores its values in raw and its shape, its keys, as a name.
	// The view incident_rows shows raw as stored and the shape beside it.
	// Rows stored before keep their record as it is.
	`
ALTER TABLE incidents ADD COLUMN raw_shape INTEGER; -- names.id; NULL: raw is the record
DROP VIEW incident_rows;
CREATE VIEW incident_rows (ref, source, id, occurred_at, lon, lat, uncertainty_m, category, confidence, raw,
	ingested_at, deleted_at, zones, source_ref, raw_shape) AS
SELECT i.rowid, s.name, i.id, i.occurred_at, i.lon, i.lat, i.uncertainty_m, c.name, i.confidence, i.raw,
	i.ingested_at, i.deleted_at, CASE WHEN i.zones = '' THEN '' ELSE
		(SELECT json_group_array(n.name) FROM json_each(i.zones) j JOIN names n ON n.id = j.value) END, i.source_ref,
	(SELECT name FROM names WHERE id = i.raw_shape)
FROM incidents i JOIN names s ON s.id = i.source_ref JOIN names c ON c.id = i.category_ref;
`,
	// 11: a violation names its incident by the rowid of its incidents
	// row (whose source and id never change) instead of repeating the
	// source and the id: an incident with one violation stored its id five
	// times (in its row and key, in the violation's row and two indexes),
	// and the three on the violation's side were a seventh of a replayed
	// row's bytes. The key leads with the trial, which reports search;
	// violations_by_incident holds the rowid alone. Both tables declare
	// their rowid (rowid INTEGER PRIMARY KEY, the keys becoming UNIQUE):
	// lean leaves and violations refer to rowids, and SQLite keeps only a
	// declared one through VACUUM for certain. Rowids are kept; the views
	// and triggers read as before.
	`
DROP TRIGGER violations_keep_deleted;
DROP TRIGGER violations_keep_updated;
DROP VIEW violation_leaves;
DROP VIEW violation_rows;
DROP VIEW incident_rows;
CREATE TABLE incidents_keyed (
	rowid         INTEGER PRIMARY KEY,     -- declared: lean leaves and violations refer to it
	source_ref    INTEGER NOT NULL,        -- names.id, as category_ref
	id            TEXT    NOT NULL,
	occurred_at   INTEGER NOT NULL,
	lon           REAL    NOT NULL,
	lat           REAL    NOT NULL,
	uncertainty_m REAL    NOT NULL,
	category_ref  INTEGER NOT NULL,
	confidence    REAL    NOT NULL,        -- 0..100, -1 when the source gives none
	raw           TEXT    NOT NULL,
	ingested_at   INTEGER NOT NULL,
	deleted_at    INTEGER,                 -- set when the source withdrew it
	zones         TEXT    NOT NULL DEFAULT '', -- JSON array of the names ids of zone ids; '' counted nowhere
	raw_shape     INTEGER,                 -- names.id; NULL: raw is the record
	UNIQUE (source_ref, id)
);
INSERT OR FAIL INTO incidents_keyed (rowid, source_ref, id, occurred_at, lon, lat, uncertainty_m, category_ref, confidence,
	raw, ingested_at, deleted_at, zones, raw_shape)
SELECT rowid, source_ref, id, occurred_at, lon, lat, uncertainty_m, category_ref, confidence,
	raw, ingested_at, deleted_at, zones, raw_shape FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_keyed RENAME TO incidents;
CREATE VIEW incident_rows (ref, source, id, occurred_at, lon, lat, uncertainty_m, category, confidence, raw,
	ingested_at, deleted_at, zones, source_ref, raw_shape) AS
SELECT i.rowid, s.name, i.id, i.occurred_at, i.lon, i.lat, i.uncertainty_m, c.name, i.confidence, i.raw,
	i.ingested_at, i.deleted_at, CASE WHEN i.zones = '' THEN '' ELSE
		(SELECT json_group_array(n.name) FROM json_each(i.zones) j JOIN names n ON n.id = j.value) END, i.source_ref,
	(SELECT name FROM names WHERE id = i.raw_shape)
FROM incidents i JOIN names s ON s.id = i.source_ref JOIN names c ON c.id = i.category_ref;
CREATE TABLE violations_by_ref (
	rowid            INTEGER PRIMARY KEY, -- declared: lean leaves refer to it
	trial_ref        INTEGER NOT NULL,    -- names.id, as every _ref but incident_ref
	zone_ref         INTEGER NOT NULL,
	incident_ref     INTEGER NOT NULL,    -- incidents.rowid
	category_ref     INTEGER NOT NULL,
	occurred_at      INTEGER NOT NULL,
	lon              REAL    NOT NULL,
	lat              REAL    NOT NULL,
	placement_ref    INTEGER NOT NULL,
	day              INTEGER NOT NULL,    -- 0-based trial day
	zone_version_ref INTEGER,             -- NULL: stored before versions were
	config_ref       INTEGER,
	tier_ref         INTEGER NOT NULL,
	UNIQUE (trial_ref, zone_ref, incident_ref)
);
INSERT OR FAIL INTO violations_by_ref (rowid, trial_ref, zone_ref, incident_ref, category_ref, occurred_at, lon, lat,
	placement_ref, day, zone_version_ref, config_ref, tier_ref)
SELECT v.rowid, v.trial_ref, v.zone_ref, (SELECT i.rowid FROM incidents i WHERE i.source_ref = v.source_ref AND i.id = v.incident_id),
	v.category_ref, v.occurred_at, v.lon, v.lat, v.placement_ref, v.day, v.zone_version_ref, v.config_ref, v.tier_ref
FROM violations v;
DROP TABLE violations;
ALTER TABLE violations_by_ref RENAME TO violations;
CREATE INDEX violations_by_incident ON violations (incident_ref);
CREATE INDEX violations_by_occurred_at ON violations (occurred_at);
CREATE VIEW violation_rows (id, trial, zone_id, category, source, incident_id, occurred_at, lon, lat, placement, day,
	zone_version, config_sha256, tier) AS
SELECT v.rowid, t.name, z.name, c.name, s.name, i.id, v.occurred_at, v.lon, v.lat, p.name, v.day,
	zv.name, cf.name, r.name
FROM violations v JOIN incidents i ON i.rowid = v.incident_ref JOIN names s ON s.id = i.source_ref
	JOIN names t ON t.id = v.trial_ref JOIN names z ON z.id = v.zone_ref
	JOIN names c ON c.id = v.category_ref JOIN names p ON p.id = v.placement_ref JOIN names r ON r.id = v.tier_ref
	LEFT JOIN names zv ON zv.id = v.zone_version_ref LEFT JOIN names cf ON cf.id = v.config_ref;
CREATE VIEW violation_leaves (id, data) AS SELECT id, CAST('ceasefired-evidence-v1 violation' || char(10) ||
	'trial ' || length(CAST(trial AS BLOB)) || ':' || trial || char(10) ||
	'zone_id ' || length(CAST(zone_id AS BLOB)) || ':' || zone_id || char(10) ||
	'category ' || length(CAST(category AS BLOB)) || ':' || category || char(10) ||
	'placement ' || length(CAST(placement AS BLOB)) || ':' || placement || char(10) ||
	'source ' || length(CAST(source AS BLOB)) || ':' || source || char(10) ||
	'incident_id ' || length(CAST(incident_id AS BLOB)) || ':' || incident_id || char(10) ||
	'zone_version_sha256 64:' || lower(hex(zone_version)) || char(10) ||
	'config_sha256 64:' || lower(hex(config_sha256)) || char(10) AS BLOB)
FROM violation_rows WHERE length(zone_version) = 32 AND length(config_sha256) = 32;
CREATE TRIGGER violations_keep_deleted BEFORE DELETE ON violations BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
CREATE TRIGGER violations_keep_updated BEFORE UPDATE OF trial_ref, zone_ref, incident_ref, category_ref, placement_ref,
	zone_version_ref, config_ref ON violations
WHEN OLD.trial_ref IS NOT NEW.trial_ref OR OLD.zone_ref IS NOT NEW.zone_ref OR OLD.incident_ref IS NOT NEW.incident_ref
	OR OLD.category_ref IS NOT NEW.category_ref OR OLD.placement_ref IS NOT NEW.placement_ref
	OR OLD.zone_version_ref IS NOT NEW.zone_version_ref OR OLD.config_ref IS NOT NEW.config_ref BEGIN
	INSERT OR IGNORE INTO evidence_kept (ref, until_leaf, data)
	SELECT -OLD.rowid, (SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves), data
	FROM violation_leaves WHERE id = OLD.rowid;
END;
`,
	// 12: no change of schema; its data step, restoreLeaves, restores the
	// violation leaves that a batch which deleted their rows logged lean.
	`
-- see restoreLeaves
`,
}

// dataSteps are the steps in Go of a migration, by the version it takes a
// database to; each runs after that version's statements, in the same
// transaction.
var dataSteps = map[int]func(context.Context, *sql.Tx, *migration) error{
	12: func(ctx context.Context, tx *sql.Tx, m *migration) (err error) {
		m.restored, m.unreadable, err = restoreLeaves(ctx, tx)
		return err
	},
}

// migration is what migrate did.
type migration struct {
	from, to int // schema versions before and after
	// Evidence leaves restored by version 12's data step, and those it
	// found unreadable and could not restore.
	restored, unreadable int
}

// SchemaVersion is the PRAGMA user_version this package writes.
const SchemaVersion = len(migrations)

// migrate brings the database behind w to SchemaVersion in one transaction
// and returns the versions before and after. It refuses a database newer
// than this package, which would otherwise be misread. Its temporary
// tables, sorts and journals go to files rather than memory, as the store
// keeps them otherwise: a migration may rewrite every row.
func migrate(ctx context.Context, w *sql.DB) (m migration, err error) {
	if _, err := w.ExecContext(ctx, "PRAGMA temp_store = FILE"); err != nil {
		return m, fmt.Errorf("begin migration: %w", err)
	}
	defer func() {
		if _, e := w.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); e != nil && err == nil {
			err = fmt.Errorf("end migration: %w", e)
		}
	}()
	return migrateTx(ctx, w)
}

func migrateTx(ctx context.Context, w *sql.DB) (m migration, err error) {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return m, fmt.Errorf("begin migration: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit it does nothing

	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&m.from); err != nil {
		return m, fmt.Errorf("read schema version: %w", err)
	}
	m.to = m.from
	switch {
	case m.from > SchemaVersion:
		return m, fmt.Errorf("schema version %d is newer than this program supports (%d)", m.from, SchemaVersion)
	case m.from == SchemaVersion:
		return m, nil
	}
	for v := m.from; v < SchemaVersion; v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return m, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if step := dataSteps[v+1]; step != nil {
			if err := step(ctx, tx, &m); err != nil {
				return m, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
			}
		}
	}
	// PRAGMA takes no bound parameters; the value is our own constant.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion)); err != nil {
		return m, fmt.Errorf("write schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return m, fmt.Errorf("commit migration: %w", err)
	}
	m.to = SchemaVersion
	return m, nil
}
