package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkInsertFloor measures what SQLite, through the same driver and
// settings as the store, takes to keep FIRMS-like three-column rows when a
// store does nothing else: multi-row inserts of chunkRows rows, 4096 rows
// a transaction, ids that grow with time as a yearly archive's do. It is
// the floor under any store that keeps a row and a key per incident,
// against which the stored replay's rate can be read:
//
//   - incidents: one table with its (source, id) key;
//   - +violations: and a second table with a (trial, zone, incident rowid)
//     key, one row per incident, as when every incident is a violation;
//   - +log: and one row of a 32-byte hash per incident and per violation,
//     as an evidence log that keeps leaf hashes only;
//   - +packed log: the same hashes, those of a chunk's leaves in one row
//     (one blob of 2 × chunkRows hashes), as a log kept in blocks would.
//
// items/s counts rows of the first table, and B/item is the database's
// size (its pages) per such row.
func BenchmarkInsertFloor(b *testing.B) {
	schemas := []struct {
		name   string
		tables []string // CREATE statements
		insert []string // each takes one row's arguments of insertArgs
	}{
		{"incidents", []string{floorIncidents}, []string{floorInsertIncident}},
		{"+violations", []string{floorIncidents, floorViolations}, []string{floorInsertIncident, floorInsertViolation}},
		{"+log", []string{floorIncidents, floorViolations, floorLog},
			[]string{floorInsertIncident, floorInsertViolation, floorInsertLog, floorInsertLog}},
		{"+packed log", []string{floorIncidents, floorViolations, floorBlocks},
			[]string{floorInsertIncident, floorInsertViolation, floorInsertBlock}},
	}
	for _, sc := range schemas {
		b.Run(sc.name, func(b *testing.B) {
			ctx := context.Background()
			db, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), FileName), false))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			if _, err := db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
				b.Fatal(err)
			}
			for _, t := range sc.tables {
				if _, err := db.ExecContext(ctx, t); err != nil {
					b.Fatal(err)
				}
			}
			stmts := make([]*sql.Stmt, len(sc.insert))
			for i, ins := range sc.insert {
				q := ins
				if ins != floorInsertBlock { // one row per chunk
					one := ins[strings.Index(ins, "(?"):] // the row of placeholders
					q += strings.Repeat(","+one, chunkRows-1)
				}
				if stmts[i], err = db.PrepareContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			const perTx = 4096
			chunks := make([][][]any, perTx/chunkRows) // per chunk, per insert
			row := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer() // the arguments are made outside the measure
				for c := range chunks {
					chunks[c] = make([][]any, len(stmts))
					for range chunkRows {
						floorRow(chunks[c], row)
						row++
					}
				}
				b.StartTimer()
				before := processCPU()
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, args := range chunks {
					for i, st := range stmts {
						if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args[i]...); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - before
			}
			b.ReportMetric(float64(row)/b.Elapsed().Seconds(), "items/s")
			if cpu > 0 {
				b.ReportMetric(float64(row)/cpu.Seconds(), "items/cpu-s")
			}
			b.StopTimer()
			var pages, size int64
			if err := db.QueryRowContext(ctx, "SELECT page_count, page_size FROM pragma_page_count, pragma_page_size").Scan(&pages, &size); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(pages*size)/float64(row), "B/item")
		})
	}
}

const (
	floorIncidents = `CREATE TABLE incidents (source_ref INTEGER NOT NULL, id TEXT NOT NULL,
	occurred_at INTEGER NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL, raw BLOB NOT NULL,
	PRIMARY KEY (source_ref, id))`
	floorViolations = `CREATE TABLE violations (trial_ref INTEGER NOT NULL, zone_ref INTEGER NOT NULL,
	incident_ref INTEGER NOT NULL, occurred_at INTEGER NOT NULL, PRIMARY KEY (trial_ref, zone_ref, incident_ref))`
	floorLog             = `CREATE TABLE leaves (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL)`
	floorInsertIncident  = `INSERT INTO incidents (source_ref, id, occurred_at, lon, lat, raw) VALUES (?,?,?,?,?,?)`
	floorInsertViolation = `INSERT INTO violations (trial_ref, zone_ref, incident_ref, occurred_at) VALUES (?,?,?,?)`
	floorInsertLog       = `INSERT INTO leaves (hash) VALUES (?)`
	floorBlocks          = `CREATE TABLE blocks (first INTEGER PRIMARY KEY, hashes BLOB NOT NULL)`
	floorInsertBlock     = `INSERT INTO blocks (hashes) VALUES (?)`
)

// floorRow appends the arguments of row n to args, one list per insert of
// BenchmarkInsertFloor's schema (as many as args holds). With three
// inserts the third is a block's, whose one argument every row of a chunk
// extends by its two hashes.
func floorRow(args [][]any, n int) {
	day := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n/4000) * 24 * time.Hour)
	lat, lon := 44+float64(n*7919%600000)/100000, 22+float64(n*104729%1800000)/100000
	id := fmt.Sprintf("%s/%.5f/%.5f", day.Format(time.DateOnly), lat, lon)
	for i := range args {
		switch i {
		case 0:
			args[i] = append(args[i], 1, id, day.UnixNano(), lon, lat, []byte(id))
		case 1:
			args[i] = append(args[i], 2, 3+n%27, n+1, day.UnixNano()) // the incident's rowid
		case 2:
			if len(args) == 3 {
				h := sha256.Sum256([]byte(id))
				if len(args[i]) == 0 {
					args[i] = append(args[i], make([]byte, 0, 2*chunkRows*sha256.Size))
				}
				args[i][0] = append(args[i][0].([]byte), append(h[:], h[:]...)...)
				continue
			}
			fallthrough
		default:
			h := sha256.Sum256([]byte(id))
			args[i] = append(args[i], h[:])
		}
	}
}
