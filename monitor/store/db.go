// Package store keeps incidents, violations, source cursors and alert state.
//
// DB is the durable implementation: an embedded SQLite database (pure Go
// driver, WAL mode) that users may open with the sqlite3 shell. Memory is an
// in-memory implementation with the same semantics for dry runs.
//
// Times are stored as INTEGER unix nanoseconds in UTC, which round-trips
// exactly and sorts naturally. In the sqlite3 shell,
//
//	SELECT strftime('%Y-%m-%dT%H:%M:%fZ', occurred_at / 1e9, 'unixepoch') FROM violations;
//
// shows them as RFC 3339 (to the millisecond). Unix nanoseconds cover the
// years 1678 to 2262.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	// The pure Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"
)

// FileName is the name of the database file inside the storage folder.
const FileName = "ceasefired.db"

// readConns bounds the connections used for queries. Readers never block
// the writer in WAL mode, nor each other.
const readConns = 4

// Options tunes Open. The zero value is valid.
type Options struct {
	// Logger receives lifecycle messages (open, migration, close); nil
	// discards them.
	Logger *slog.Logger
	// Now returns the wall clock used for ingested_at and updated_at
	// columns; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing database for queries only, writing
	// nothing to the disk (see openReadOnly), for when the disk is full:
	// every write then fails. The database must be at SchemaVersion and its
	// write-ahead log empty.
	ReadOnly bool
}

// DB is the SQLite store. It implements monitor.Store and also keeps small
// blobs of state (see PutState).
//
// All methods are safe for concurrent use. Writes go through a single
// connection, so writers queue in Go instead of failing with SQLITE_BUSY;
// queries use a separate pool and, thanks to WAL, see the last committed
// batch without waiting for a running one. Close must be called once, after
// every other call has returned.
type DB struct {
	path  string
	log   *slog.Logger
	now   func() time.Time
	w     *sql.DB // one connection: every write and migration
	r     *sql.DB // read-only pool for queries
	stmts *stmts  // prepared on w

	// The checkpointer folds the WAL back into the database on its own
	// connection, so that no commit waits for it.
	ckpt     *sql.DB
	stopCkpt chan struct{}
	ckptDone chan struct{}

	readOnly bool // w and r are one immutable, read-only pool

	// logOff skips the evidence log, for the benchmark that measures
	// what it costs; nothing else sets it.
	logOff bool

	names nameCache // the ids of names committed
}

// checkpointEvery is how often the checkpointer runs.
const checkpointEvery = 2 * time.Second

// Open opens the SQLite database FileName inside dir, creating dir (mode
// 0750) and the database if they do not exist, and migrates its schema to
// the version this package knows. It fails if the database was written by a
// newer schema version.
//
// The database runs with journal_mode=WAL and synchronous=NORMAL. In WAL mode
// NORMAL is durable against a crash of the process (kill -9) at any instant:
// a batch is either wholly stored or absent. A power loss or kernel crash may
// lose the last few committed transactions; their source cursors are lost
// with them, so those documents are simply read again from the source.
//
// When the disk is full the error wraps ErrDiskFull; Options.ReadOnly may
// then still open an existing database.
func Open(dir string, opts Options) (*DB, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	path := filepath.Join(dir, FileName)
	db := &DB{path: path, log: logger, now: now}
	if opts.ReadOnly {
		return openReadOnly(db)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create storage folder: %w", diskFull(err))
	}

	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	db.w = w

	ctx := context.Background()
	m, err := migrate(ctx, w)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, diskFull(err))
	}
	if db.stmts, err = newStmts(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, diskFull(err))
	}

	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readConns)
	r.SetMaxIdleConns(readConns)
	db.r = r
	if err := r.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, diskFull(err))
	}
	if err := db.startCheckpointer(path); err != nil {
		db.Close()
		return nil, err
	}
	logger.Info("opened store", "path", path, "schema_version", m.to, "migrated_from", m.from)
	if m.restored > 0 {
		logger.Warn("restored evidence leaves that a batch deleting their violations had logged as references to the gone rows",
			"path", path, "leaves", m.restored)
	}
	if m.unreadable > 0 {
		logger.Error("evidence leaves do not read back as logged and could not be restored; the audit names them",
			"path", path, "leaves", m.unreadable)
	}
	return db, nil
}

// startCheckpointer opens the checkpoint connection and runs PASSIVE
// checkpoints every checkpointEvery: they copy committed WAL frames into the
// database without blocking the writer or readers. The writer's own
// automatic checkpoint stays only as a backstop at 65536 pages (256 MiB).
func (db *DB) startCheckpointer(path string) error {
	c, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return fmt.Errorf("open %s for checkpoints: %w", path, err)
	}
	c.SetMaxOpenConns(1)
	db.ckpt, db.stopCkpt, db.ckptDone = c, make(chan struct{}), make(chan struct{})
	go func() {
		defer close(db.ckptDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-db.stopCkpt:
				return
			case <-t.C:
				if _, err := c.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
					db.log.Warn("checkpoint", "err", err)
				}
			}
		}
	}()
	return nil
}

// dsn returns the driver data source name for path. The path is escaped as
// a file: URI so that any character may appear in it. Every connection
// waits up to 10 s for a lock before reporting SQLITE_BUSY, keeps up to
// 64 MiB of pages cached (the incident key index is touched all over by
// each batch) and keeps statement journals in memory (each multi-row INSERT
// needs one). The writer begins its transactions IMMEDIATE, so it never has
// to upgrade a read lock. The WAL is checkpointed in the background (see
// startCheckpointer); the writer's own automatic checkpoint is a backstop.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "cache_size(-65536)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "wal_autocheckpoint(65536)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Path: filepath.ToSlash(path)}
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// Path returns the path of the database file.
func (db *DB) Path() string { return db.path }

// Close closes the database. Uncheckpointed WAL frames are folded into the
// main file when the last connection closes.
func (db *DB) Close() error {
	var errs []error
	if db.ckpt != nil {
		close(db.stopCkpt)
		<-db.ckptDone
		if err := db.ckpt.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close checkpointer: %w", err))
		}
		db.ckpt = nil
	}
	if db.r != nil && !db.readOnly {
		if err := db.r.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close readers: %w", err))
		}
	}
	if db.stmts != nil {
		if err := db.stmts.close(); err != nil {
			errs = append(errs, fmt.Errorf("close statements: %w", err))
		}
	}
	if err := db.w.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close writer: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", db.path, err)
	}
	db.log.Info("closed store", "path", db.path)
	return nil
}
