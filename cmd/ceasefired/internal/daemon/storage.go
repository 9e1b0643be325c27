package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// stateDB is what the daemon needs of its store; *store.DB is one.
type stateDB interface {
	monitor.Store
	monitor.JudgingStore
	// Since returns the standing violations with event time at or after t.
	Since(ctx context.Context, t time.Time) ([]monitor.Violation, error)
	PutState(ctx context.Context, key string, value []byte) error
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	Path() string
	ReportStore
	// Incident returns one stored incident with its raw record.
	Incident(ctx context.Context, source, id string) (store.StoredIncident, bool, error)
	// AppendEvidence appends leaves to the evidence log; Evidence reads it.
	AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error)
	Evidence(ctx context.Context) evidence.Storage
	// KeepFile keeps a copy of a config or zone file judged under.
	KeepFile(ctx context.Context, content []byte) error
	KeptFile(ctx context.Context, sum [32]byte) ([]byte, bool, error)
}

// openStore opens the SQLite store.
func openStore(dir string, o store.Options) (stateDB, error) { return store.Open(dir, o) }

// openStorage opens the store, or, when the disk is too full to open it
// for writing, opens it read-only so that status, metrics and alerts are
// still served from the stored state. It reports whether the store is
// read-only.
func (d *Daemon) openStorage() (stateDB, bool, error) {
	var db stateDB
	var err error
	d.notify.extendWhile(openingExtendEvery, func() { db, err = d.open(d.o.StoragePath, store.Options{Logger: d.log}) })
	if err == nil {
		return db, false, nil
	}
	if !errors.Is(err, store.ErrDiskFull) {
		return nil, false, err
	}
	db, roErr := d.open(d.o.StoragePath, store.Options{Logger: d.log, ReadOnly: true})
	if roErr != nil {
		return nil, false, errors.Join(err, fmt.Errorf("open read-only: %w", roErr))
	}
	d.log.Error("the disk is full: store opened read-only; stored state is served, nothing new is stored until a restart with free space",
		"err", err)
	return db, true, nil
}

// readOnlyStore refuses every commit of a store opened read-only, with an
// error that says why: fetches and pushes then fail and are counted as
// failures.
type readOnlyStore struct{ stateDB }

// Commit stores nothing.
func (readOnlyStore) Commit(context.Context, *monitor.Batch) (monitor.CommitResult, error) {
	return monitor.CommitResult{}, fmt.Errorf("%w: the disk was full at start; restart with free space to store again", store.ErrReadOnly)
}
