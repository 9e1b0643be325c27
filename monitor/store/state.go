package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PutState stores value under key, replacing any previous value. It is meant
// for small blobs (a few kilobytes, such as the alert state) written now and
// then; each call is its own transaction. A nil value is stored as empty.
// Safe for concurrent use.
func (db *DB) PutState(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	const upsert = `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
	if _, err := db.w.ExecContext(ctx, upsert, key, value, db.now().UnixNano()); err != nil {
		return fmt.Errorf("store state %q: %w", key, err)
	}
	return nil
}

// GetState returns the value stored under key and whether there was one.
// The returned slice belongs to the caller. Safe for concurrent use.
func (db *DB) GetState(ctx context.Context, key string) ([]byte, bool, error) {
	var value []byte
	err := db.r.QueryRowContext(ctx, "SELECT value FROM state WHERE key = ?", key).Scan(&value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("read state %q: %w", key, err)
	}
	if value == nil {
		value = []byte{}
	}
	return value, true, nil
}
