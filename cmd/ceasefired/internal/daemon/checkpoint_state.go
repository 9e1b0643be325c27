package daemon

import (
	"context"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// LatestCheckpoint returns the latest signed checkpoint the daemon kept in
// db, and false when it has signed none yet.
func LatestCheckpoint(ctx context.Context, db *store.DB) ([]byte, bool, error) {
	return db.GetState(ctx, checkpointState)
}
