package monitor

import (
	"context"
	"time"
)

// Item is one incident with the violations it produces.
type Item struct {
	Incident   Incident
	Violations []Violation
	// Zones are the ids of every loaded zone the incident lies in
	// (boundary included), whose daily counts it adds to (JudgingStore).
	Zones []string
}

// Batch is what one document of one source yields. It is stored in a single
// transaction together with the document's cursor.
type Batch struct {
	Source      string
	CursorKey   string // "" stores no cursor
	CursorValue string
	Items       []Item
	// Deleted lists incident ids the source has withdrawn: their
	// violations are retracted and the incident is marked deleted.
	Deleted []string
	// Fetched, when not nil, records the document this batch completes,
	// for the evidence log: the batch that stores a document's last
	// records logs the document itself.
	Fetched *Fetched
	// Tiers are corroboration tiers to set in the same transaction, in
	// order (a later update of one violation wins); see JudgingStore. An
	// update sets the violations standing once the batch's items and
	// deletions are stored; a violation stored later starts single, and a
	// retracted one keeps no tier.
	Tiers []TierUpdate
}

// Fetched describes one document as fetched, before decoding.
type Fetched struct {
	SHA256    [32]byte // of the document's bytes
	FetchedAt time.Time
	Cursor    string // the document's cursor; "" when it has none
}

// CommitResult says what a Commit changed.
type CommitResult struct {
	New int // incidents stored for the first time
	// Duplicate counts incidents whose (source, id) was already stored with
	// the same content (or repeated within the batch).
	Duplicate int
	// Revised counts incidents stored before with other content (or
	// deleted before): the new content replaced the old and was evaluated
	// again.
	Revised int
	Deleted int // incidents of Batch.Deleted that were stored and not yet deleted
	// Violations are the violations stored by this commit: those of new
	// incidents, and those a revision newly supports.
	Violations []Violation
	// Retracted are stored violations that a revision no longer supports
	// or whose incident was deleted, incident by incident as the commit
	// settled them, each incident's by trial and then zone id (bytewise).
	Retracted []Violation
}

// ViolationTotal is the stored count of violations for one (trial, zone,
// category), with the event time of the newest. Ambiguous placements are
// counted apart and do not move Last.
type ViolationTotal struct {
	Trial    string
	ZoneID   string
	Category Category
	// Count is every violation ever stored with placement inside or
	// buffer, retracted ones included, so that it only grows.
	Count     int64
	Retracted int64     // of Count, those since retracted
	Ambiguous int64     // ambiguous placements ever stored
	Last      time.Time // newest standing non-ambiguous; zero if none
}

// ViolationDay is one trial day (0-based) on which a zone has at least one
// standing violation that is not ambiguous.
type ViolationDay struct {
	Trial  string
	ZoneID string
	Day    int
}

// Store keeps incidents, violations and source cursors. Commit is atomic:
// after a crash at any instant either the whole batch or none of it is
// stored, and committing the same incidents again changes nothing. All
// methods are safe for concurrent use; Close must be called once, after the
// last other call has returned. Commit keeps nothing of its batch once it
// returns (the runner builds the next batch in the same memory).
type Store interface {
	Commit(ctx context.Context, b *Batch) (CommitResult, error)
	// Cursors returns the stored cursors of source by document key.
	Cursors(ctx context.Context, source string) (map[string]string, error)
	// Totals returns the stored violation counts.
	Totals(ctx context.Context) ([]ViolationTotal, error)
	// Days returns, per trial and zone, the trial days with violations.
	Days(ctx context.Context) ([]ViolationDay, error)
	// Recent returns up to limit violations, newest event time first.
	Recent(ctx context.Context, limit int) ([]Violation, error)
	// IncidentCount returns the number of stored incidents.
	IncidentCount(ctx context.Context) (int64, error)
	Close() error
}
