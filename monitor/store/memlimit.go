package store

import (
	"context"
	"fmt"
)

// LimitCache bounds the page cache of the connection that writes to about
// kib KiB (PRAGMA cache_size), instead of the 64 MiB every connection may
// fill. A bulk load of a large database fills the writer's cache, which
// then holds that much memory to the end; a smaller cache costs reads of
// pages the operating system keeps cached anyway.
func (db *DB) LimitCache(ctx context.Context, kib int) error {
	if kib <= 0 {
		return fmt.Errorf("limit page cache: %d KiB", kib)
	}
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size=-%d", kib)); err != nil {
		return fmt.Errorf("limit page cache: %w", err)
	}
	return nil
}
