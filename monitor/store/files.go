package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// fileKeyPrefix starts the state keys of the files kept by KeepFile.
const fileKeyPrefix = "file/sha256/"

// KeepFile keeps content, the bytes of a config or zone file that
// incidents are judged under, under its SHA-256 digest, so that evidence
// exported later can include the very file even after it was edited on
// disk. A file already kept is not written again. Safe for concurrent use.
func (db *DB) KeepFile(ctx context.Context, content []byte) error {
	sum := sha256.Sum256(content)
	key := fileKeyPrefix + hex.EncodeToString(sum[:])
	const insert = `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`
	if _, err := db.w.ExecContext(ctx, insert, key, content, db.now().UnixNano()); err != nil {
		return fmt.Errorf("keep file %x: %w", sum[:8], err)
	}
	return nil
}

// KeptFile returns the file kept by KeepFile whose SHA-256 digest is sum,
// and false when none was.
func (db *DB) KeptFile(ctx context.Context, sum [32]byte) ([]byte, bool, error) {
	return db.GetState(ctx, fileKeyPrefix+hex.EncodeToString(sum[:]))
}
