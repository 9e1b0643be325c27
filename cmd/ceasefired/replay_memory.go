package main

import (
	"context"
	"runtime/debug"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// What a replay holds in memory is bounded by its batches, not by its
// input: the runner commits every batchSize incidents, the dry store keeps
// a few bytes per incident outside the collector's reach, and the store
// keeps what it commits on disk. These settings keep the peak near what is
// live.
const (
	// storedBatch is the number of incidents per commit of a stored
	// replay.
	storedBatch = 4096
	// storedCacheKiB bounds the writer's page cache in a stored replay.
	// Filling the default 64 MiB, as a bulk load of a large database
	// does, was a third of the peak resident memory (430 MB at 50,000 a
	// batch); pages dropped from it are read again from the operating
	// system's cache.
	storedCacheKiB = 4 << 10
	// dryGCPercent is the collector's GOGC in a dry run. Nearly all a dry
	// run keeps is the dry store's pointer-free tables, which the
	// collector does not scan: collecting six to seven times as often
	// costs little and keeps the peak near what is live (a doubled input
	// peaked at 97-101 MB resident at 25).
	dryGCPercent = 15
	// storedGCPercent is GOGC in a stored replay, whose heap is its
	// batches in flight: half again what is live, not twice.
	storedGCPercent = 50
	// storedGoLimit is the soft limit of the Go runtime's memory in a
	// stored replay (GOMEMLIMIT): near it the collector runs sooner and
	// memory freed goes back to the system sooner. About 25 MB is live
	// (zones, the per-file duplicate set, a batch and its commit). At 40
	// MB the runtime spent a twentieth of the replay's CPU handing pages
	// back to the system and faulting them in again; at 52 the stored
	// replay of docs/performance.md ran 5-16% faster and peaked 8-11 MB
	// higher, still under 100 MB with its input doubled.
	storedGoLimit = 52 << 20
)

// boundReplayMemory applies the settings above for a replay into db, or a
// dry run when db is nil, and returns what undoes the collector's setting
// (replays also run inside tests and benchmarks).
func boundReplayMemory(ctx context.Context, db *store.DB) (restore func(), err error) {
	if db == nil {
		old := debug.SetGCPercent(dryGCPercent)
		return func() { debug.SetGCPercent(old) }, nil
	}
	if err := db.LimitCache(ctx, storedCacheKiB); err != nil {
		return nil, err
	}
	old := debug.SetGCPercent(storedGCPercent)
	oldLimit := debug.SetMemoryLimit(storedGoLimit)
	return func() {
		debug.SetGCPercent(old)
		debug.SetMemoryLimit(oldLimit)
	}, nil
}
