package store

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
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
			db := openFloor(ctx, b, sc.tables...)
			var err error
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
			reportFloor(ctx, b, db, row, cpu)
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

// floorPoint returns the day and place of row n of the floor benchmarks:
// 4,000 rows a day from 2019 on, scattered over 44-50°N, 22-40°E.
func floorPoint(n int) (day time.Time, lat, lon float64) {
	day = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n/4000) * 24 * time.Hour)
	return day, 44 + float64(n*7919%600000)/100000, 22 + float64(n*104729%1800000)/100000
}

// floorRow appends the arguments of row n to args, one list per insert of
// BenchmarkInsertFloor's schema (as many as args holds). With three
// inserts the third is a block's, whose one argument every row of a chunk
// extends by its two hashes.
func floorRow(args [][]any, n int) {
	day, lat, lon := floorPoint(n)
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

// BenchmarkInsertFloorPacked measures the floor of a layout that keeps a
// chunk's incidents in one row instead of a row each, for the same rows
// as BenchmarkInsertFloor (with FIRMS's raw records, which the packed
// block holds and that one does not): per incident only a key row (source,
// id → block) for duplicates; per chunk of chunkRows incidents one block
// row holding their time, place, raw values and violation (trial, zone)
// compressed with DEFLATE at its fastest, one row per (trial, zone, block)
// for the reports to find the blocks they need, and one 32-byte log leaf
// hash for the block. The compression is inside the measure. items/s
// counts incidents; B/item is the database's size per incident.
func BenchmarkInsertFloorPacked(b *testing.B) {
	ctx := context.Background()
	db := openFloor(ctx, b,
		`CREATE TABLE incident_keys (source_ref INTEGER NOT NULL, id TEXT NOT NULL, block INTEGER NOT NULL,
			PRIMARY KEY (source_ref, id)) WITHOUT ROWID`,
		`CREATE TABLE blocks (rowid INTEGER PRIMARY KEY, source_ref INTEGER NOT NULL, data BLOB NOT NULL)`,
		`CREATE TABLE block_zones (trial_ref INTEGER NOT NULL, zone_ref INTEGER NOT NULL, block INTEGER NOT NULL,
			n INTEGER NOT NULL, PRIMARY KEY (trial_ref, zone_ref, block)) WITHOUT ROWID`,
		floorLog)
	keys, err := db.PrepareContext(ctx, "INSERT INTO incident_keys (source_ref, id, block) VALUES (?,?,?)"+
		strings.Repeat(",(?,?,?)", chunkRows-1))
	if err != nil {
		b.Fatal(err)
	}
	block, err := db.PrepareContext(ctx, "INSERT INTO blocks (rowid, source_ref, data) VALUES (?,?,?)")
	if err != nil {
		b.Fatal(err)
	}
	zone, err := db.PrepareContext(ctx, "INSERT INTO block_zones (trial_ref, zone_ref, block, n) VALUES (?,?,?,?)")
	if err != nil {
		b.Fatal(err)
	}
	leaf, err := db.PrepareContext(ctx, floorInsertLog)
	if err != nil {
		b.Fatal(err)
	}
	const perTx = 4096
	type incident struct {
		id, raw        string
		occurred       int64
		lon, lat       float64
		trial, zoneRef int64
	}
	rows := make([]incident, perTx)
	args := make([]any, 0, 3*chunkRows)
	var plain, packed bytes.Buffer
	zw, err := flate.NewWriter(&packed, flate.BestSpeed)
	if err != nil {
		b.Fatal(err)
	}
	row, blocks := 0, int64(0)
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer() // the rows are made outside the measure
		for i := range rows {
			n := row + i
			day, lat, lon := floorPoint(n)
			d := day.Format(time.DateOnly)
			la, lo := strconv.FormatFloat(lat, 'f', 4, 64), strconv.FormatFloat(lon, 'f', 4, 64) // as FIRMS writes them
			rows[i] = incident{id: d + "/" + la + "/" + lo, raw: la + "\x1f" + lo + "\x1f" + d,
				occurred: day.UnixNano(), lon: lon, lat: lat, trial: 2, zoneRef: int64(3 + n%27)}
		}
		b.StartTimer()
		before := processCPU()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for c := range perTx / chunkRows {
			chunk := rows[c*chunkRows : (c+1)*chunkRows]
			blocks++
			args = args[:0]
			zones := map[[2]int64]int{}
			plain.Reset()
			var tmp []byte
			for _, inc := range chunk {
				args = append(args, 1, inc.id, blocks)
				zones[[2]int64{inc.trial, inc.zoneRef}]++
				tmp = binary.AppendVarint(tmp[:0], inc.occurred)
				tmp = binary.LittleEndian.AppendUint64(tmp, math.Float64bits(inc.lon))
				tmp = binary.LittleEndian.AppendUint64(tmp, math.Float64bits(inc.lat))
				tmp = binary.AppendUvarint(tmp, uint64(inc.trial))
				tmp = binary.AppendUvarint(tmp, uint64(inc.zoneRef))
				tmp = binary.AppendUvarint(tmp, uint64(len(inc.raw)))
				plain.Write(tmp)
				plain.WriteString(inc.raw)
			}
			packed.Reset()
			zw.Reset(&packed)
			if _, err := zw.Write(plain.Bytes()); err != nil {
				b.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				b.Fatal(err)
			}
			h := sha256.Sum256(plain.Bytes())
			if _, err := tx.StmtContext(ctx, keys).ExecContext(ctx, args...); err != nil {
				b.Fatal(err)
			}
			if _, err := tx.StmtContext(ctx, block).ExecContext(ctx, blocks, 1, packed.Bytes()); err != nil {
				b.Fatal(err)
			}
			for k, n := range zones {
				if _, err := tx.StmtContext(ctx, zone).ExecContext(ctx, k[0], k[1], blocks, n); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := tx.StmtContext(ctx, leaf).ExecContext(ctx, h[:]); err != nil {
				b.Fatal(err)
			}
			row += chunkRows
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU() - before
	}
	reportFloor(ctx, b, db, row, cpu)
}

// openFloor opens a database for a floor benchmark, with the store's
// driver and settings, in WAL mode, and creates tables in it. It is closed
// when b ends.
func openFloor(ctx context.Context, b *testing.B, tables ...string) *sql.DB {
	db, err := sql.Open("sqlite", dsn(filepath.Join(b.TempDir(), FileName), false))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	for _, q := range append([]string{"PRAGMA journal_mode=WAL"}, tables...) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// reportFloor reports the rate of a floor benchmark that kept rows
// incidents in db using cpu, and db's size per incident.
func reportFloor(ctx context.Context, b *testing.B, db *sql.DB, rows int, cpu time.Duration) {
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "items/s")
	if cpu > 0 {
		b.ReportMetric(float64(rows)/cpu.Seconds(), "items/cpu-s")
	}
	b.StopTimer()
	var pages, size int64
	if err := db.QueryRowContext(ctx, "SELECT page_count, page_size FROM pragma_page_count, pragma_page_size").Scan(&pages, &size); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(pages*size)/float64(rows), "B/item")
}
