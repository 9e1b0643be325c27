package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"sync"
)

// stmts holds the statements that commits run, each prepared once on the
// writer. A transaction binds one with tx.StmtContext, which reuses the
// preparation made on that connection: parsing them anew in every commit
// took a fifth of a small commit's time. The statements of fixed text are
// prepared when the store opens; a multi-row insert of a size when a
// transaction first needs it. That transaction prepares it for itself (the
// writer's one connection is its own until it ends), and the next write
// prepares it on the writer for good (prepareMissed): a store whose commits
// are small never parses the large ones, of up to 3,328 parameters.
type stmts struct {
	w *sql.DB

	mu     sync.Mutex
	m      map[stmtKey]*sql.Stmt
	missed map[stmtKey]bool // multi-row sizes a transaction prepared for itself
}

// stmtKey names a statement: its text, or for a multi-row insert the kind
// of rows and their number.
type stmtKey struct {
	query string
	rows  int
}

// The statements of fixed text that commits run.
const (
	cursorUpsertSQL = `INSERT INTO cursors (source, key, value, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
	countUpsertSQL = `INSERT INTO daily_counts (day, zone_id, source, category, count)
VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count`
	logSizeSQL       = "SELECT coalesce(max(idx)+1, 0) FROM evidence_leaves"
	attemptInsertSQL = "INSERT INTO fetch_attempts (at, source, ok) VALUES (?, ?, ?)"
)

// multiRow lists the multi-row statements, by kind: inserts, and the
// read of stored incidents that revisions are compared with.
var multiRow = [...]struct {
	kind  string
	build func(rows int) string
}{{"incidents", incidentInsert}, {"violations", violationInsert}, {"leaves", leafInsert}, {"same incidents", sameIncidentsSQL}}

// newStmts prepares on w the statements of fixed text that commits run.
func newStmts(ctx context.Context, w *sql.DB) (*stmts, error) {
	s := &stmts{w: w, m: map[stmtKey]*sql.Stmt{}, missed: map[stmtKey]bool{}}
	for _, q := range []string{cursorUpsertSQL, countUpsertSQL, tierUpdateSQL, logSizeSQL, attemptInsertSQL} {
		st, err := w.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare statements: %w", err), s.close())
		}
		s.m[stmtKey{query: q}] = st
	}
	return s, nil
}

// multiRowSQL returns the text of the multi-row statement of key.
func multiRowSQL(key stmtKey) (string, error) {
	for _, m := range multiRow {
		if m.kind == key.query && key.rows > 0 && key.rows <= chunkRows {
			return m.build(key.rows), nil
		}
	}
	return "", fmt.Errorf("no multi-row statement of %d %s", key.rows, key.query)
}

// prepareMissed prepares on the writer the multi-row inserts that earlier
// transactions had to prepare for themselves. Call it outside any
// transaction of the writer. It holds no lock while it prepares: that waits
// for the writer's connection, which another commit's transaction may hold
// while it looks up a statement.
func (s *stmts) prepareMissed(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	keys := make([]stmtKey, 0, len(s.missed))
	for key := range s.missed {
		keys = append(keys, key)
	}
	s.mu.Unlock()
	for _, key := range keys {
		q, err := multiRowSQL(key)
		if err != nil {
			return err
		}
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare statements: %w", err)
		}
		s.mu.Lock()
		if _, ok := s.m[key]; ok {
			err = st.Close() // another commit prepared it meanwhile
		} else {
			s.m[key] = st
		}
		delete(s.missed, key)
		s.mu.Unlock()
		if err != nil {
			return fmt.Errorf("prepare statements: %w", err)
		}
	}
	return nil
}

// get returns the statement of key. A read-only store has none: its s is
// nil.
func (s *stmts) get(key stmtKey) (*sql.Stmt, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: no statement prepared", ErrReadOnly)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[key]
	if !ok {
		return nil, fmt.Errorf("statement %q of %d rows not prepared", key.query, key.rows)
	}
	return st, nil
}

// multiRowIn returns the multi-row statement of key bound to tx: the writer's
// preparation when there is one, else one tx prepares for itself, which
// the next prepareMissed makes the writer's.
func (s *stmts) multiRowIn(ctx context.Context, tx *sql.Tx, key stmtKey) (*sql.Stmt, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: no statement prepared", ErrReadOnly)
	}
	s.mu.Lock()
	st, ok := s.m[key]
	if !ok {
		s.missed[key] = true
	}
	s.mu.Unlock()
	if ok {
		return tx.StmtContext(ctx, st), nil
	}
	q, err := multiRowSQL(key)
	if err != nil {
		return nil, err
	}
	return tx.PrepareContext(ctx, q)
}

// in returns the statement query, bound to tx.
func (s *stmts) in(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := s.get(stmtKey{query: query})
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// close closes every statement prepared.
func (s *stmts) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for k, st := range s.m {
		errs = append(errs, st.Close())
		delete(s.m, k)
	}
	return errors.Join(errs...)
}

// chunkSize returns the rows of the next multi-row statement when left
// rows remain: full chunks, then descending powers of two, so that a few
// prepared statements serve every batch size.
func chunkSize(left int) int {
	if left >= chunkRows {
		return chunkRows
	}
	return 1 << (bits.Len(uint(left)) - 1)
}

// chunker runs multi-row statements of one kind inside tx, of chunkSize
// rows each.
type chunker struct {
	st   *stmts
	tx   *sql.Tx
	kind string // as in multiRow

	rows  int // of bound
	bound *sql.Stmt
}

// stmt returns the statement of n rows, bound to the transaction.
func (c *chunker) stmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if c.bound != nil && c.rows == n {
		return c.bound, nil
	}
	st, err := c.st.multiRowIn(ctx, c.tx, stmtKey{c.kind, n})
	if err != nil {
		return nil, err
	}
	c.rows, c.bound = n, st
	return c.bound, nil
}

// query runs the statement of n rows with args and calls each for every
// returned row.
func (c *chunker) query(ctx context.Context, n int, args []any, each func(*sql.Rows) error) error {
	st, err := c.stmt(ctx, n)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// exec runs the insert of n rows with args, which returns no rows.
func (c *chunker) exec(ctx context.Context, n int, args []any) error {
	st, err := c.stmt(ctx, n)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}
