package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDiskFull is wrapped by the error of Open when the disk that holds the
// store has no space left: for the database itself (SQLITE_FULL), for its
// -shm file, which every WAL connection maps and which SQLite grows with
// writes (SQLITE_IOERR_SHMSIZE, "disk I/O error (4874)"), or for the
// storage folder.
var ErrDiskFull = errors.New("the disk is full")

// ErrReadOnly is wrapped by the errors of writes to a store opened with
// Options.ReadOnly.
var ErrReadOnly = errors.New("store is read-only")

// diskFull wraps err with ErrDiskFull when it says the disk is full, and
// returns it unchanged otherwise.
func diskFull(err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch code := se.Code(); {
		case code&0xff == sqlite3.SQLITE_FULL, code == sqlite3.SQLITE_IOERR_SHMSIZE:
			return fmt.Errorf("%w (%w)", ErrDiskFull, err)
		}
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w (%w)", ErrDiskFull, err)
	}
	return err
}

// openReadOnly opens an existing database for queries only, writing
// nothing, not even the -shm file: it is opened immutable, so SQLite reads
// the main file alone and takes no locks. That is right only when the
// write-ahead log holds nothing (the daemon stopped cleanly, or every
// commit was checkpointed): with frames in the -wal file the main file may
// be behind, or half-way through a checkpoint, so the database is refused.
// Nobody may write the database while it is open so.
func openReadOnly(db *DB) (*DB, error) {
	if _, err := os.Stat(db.path); err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", db.path, err)
	}
	if fi, err := os.Stat(db.path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("open %s read-only: its write-ahead log holds %d bytes not yet in the database, which SQLite reads only with room for a -shm file",
			db.path, fi.Size())
	}
	r, err := sql.Open("sqlite", immutableDSN(db.path))
	if err != nil {
		return nil, fmt.Errorf("open %s read-only: %w", db.path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	var version int
	if err := r.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&version); err != nil {
		r.Close()
		return nil, fmt.Errorf("open %s read-only: read schema version: %w", db.path, err)
	}
	if version != SchemaVersion {
		r.Close()
		return nil, fmt.Errorf("open %s read-only: schema version %d, want %d (migrating needs a writable disk)",
			db.path, version, SchemaVersion)
	}
	// Writes go to the same immutable pool, where SQLite refuses them.
	db.r, db.w, db.readOnly = r, r, true
	db.log.Warn("opened store read-only", "path", db.path, "schema_version", version)
	return db, nil
}

// immutableDSN is dsn for a database opened read-only and immutable.
func immutableDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "cache_size(-65536)")
	u := url.URL{Path: filepath.ToSlash(path)}
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}
