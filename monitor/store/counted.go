package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// countedKeyPrefix starts the state keys of the documents whose incidents
// AddDocumentCounts counted: "counted/SOURCE/SHA256".
const countedKeyPrefix = "counted/"

func countedKey(source string, sum [32]byte) string {
	return countedKeyPrefix + source + "/" + hex.EncodeToString(sum[:])
}

// ErrCounted is the error of AddDocumentCounts when a document was counted
// before.
var ErrCounted = errors.New("already counted")

// Counted returns, of the documents of source whose SHA-256 digests are
// sums, those AddDocumentCounts counted before, with the time it did.
func (db *DB) Counted(ctx context.Context, source string, sums [][32]byte) (map[[32]byte]time.Time, error) {
	out := map[[32]byte]time.Time{}
	for _, sum := range sums {
		var at int64
		err := db.r.QueryRowContext(ctx, "SELECT updated_at FROM state WHERE key = ?", countedKey(source, sum)).Scan(&at)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return nil, fmt.Errorf("read counted documents: %w", err)
		}
		out[sum] = fromNanos(at)
	}
	return out, nil
}

// AddDocumentCounts adds counts, made from the documents of source whose
// SHA-256 digests are sums, to the daily counts, and notes the documents
// as counted, in one transaction. When one of them was counted before it
// adds nothing and returns an error wrapping ErrCounted: counts add up,
// and a document counted twice would double its days.
func (db *DB) AddDocumentCounts(ctx context.Context, source string, sums [][32]byte, counts []monitor.DailyCount) error {
	c := make(countDeltas, len(counts))
	for _, n := range counts {
		c[countKey{day: unixDay(n.Day), zone: n.ZoneID, source: n.Source, category: string(n.Category)}] += n.Count
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // no-op after Commit
	now := db.now().UnixNano()
	for _, sum := range sums {
		res, err := tx.ExecContext(ctx, `INSERT INTO state (key, value, updated_at) VALUES (?, x'', ?) ON CONFLICT (key) DO NOTHING`,
			countedKey(source, sum), now)
		if err != nil {
			return fmt.Errorf("note counted document: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("note counted document: %w", err)
		} else if n == 0 {
			return fmt.Errorf("document %x of source %s: %w", sum[:8], source, ErrCounted)
		}
	}
	if err := db.applyCounts(ctx, tx, c); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit daily counts: %w", err)
	}
	return nil
}
