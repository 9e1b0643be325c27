package store

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// benchBatch returns batch k of a FIRMS-like replay: size incidents with
// raw lines of about 120 bytes, one in twenty a violation. With ordered ids
// they take the shape of FIRMS ids (satellite/time/lat/lon), which grow with
// time as a chronological archive is replayed; otherwise the ids start with
// the latitude and land all over the key index, the worst case.
func benchBatch(k, size int, ordered bool) *monitor.Batch {
	b := &monitor.Batch{
		Source:      "firms-noaa20",
		CursorKey:   fmt.Sprintf("archive/%05d.csv", k),
		CursorValue: "etag",
		Items:       make([]monitor.Item, size),
	}
	for i := range size {
		at := time.Duration(k*size+i) * time.Second
		lat, lon := 48+float64(i*7919%1000)/1000, 37+float64(i*104729%1000)/1000
		id := fmt.Sprintf("N20/%s/%.5f/%.5f", t0.Add(at).Format("2006-01-02T15:04:05Z"), lat, lon)
		if !ordered {
			id = fmt.Sprintf("%.5f/%.5f/%s/N20", lat, lon, t0.Add(at).Format("2006-01-02T15:04:05Z"))
		}
		inc := incident(b.Source, id, at)
		b.Items[i].Incident = inc
		if i%20 == 0 {
			b.Items[i].Violations = []monitor.Violation{violation(inc, "donbas-freeze", "UA-14")}
		}
	}
	return b
}

// BenchmarkCommit measures committing new incidents in replay-sized
// batches into a growing store; items/s counts incidents, items/cpu-s
// counts them per second of the process's CPU time during the commits
// (background work included), steadier than items/s on a busy machine.
func BenchmarkCommit(b *testing.B) {
	openDB := func(b *testing.B) monitor.Store {
		db, err := Open(b.TempDir(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	openDBWithoutLog := func(b *testing.B) monitor.Store {
		db := openDB(b).(*DB)
		db.logOff = true
		return db
	}
	openMemory := func(*testing.B) monitor.Store { return NewMemory() }
	cases := []struct {
		name    string
		open    func(b *testing.B) monitor.Store
		size    int
		ordered bool
	}{
		{"sqlite/batch=10000", openDB, 10000, true},
		{"sqlite/batch=50000", openDB, 50000, true},
		// What the evidence log costs: the same without it.
		{"sqlite/batch=50000/log=off", openDBWithoutLog, 50000, true},
		{"sqlite/batch=50000/ids=scattered", openDB, 50000, false},
		{"memory/batch=50000", openMemory, 50000, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := c.open(b)
			defer s.Close()
			ctx := context.Background()
			k := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				batch := benchBatch(k, c.size, c.ordered)
				k++
				b.StartTimer()
				before := processCPU()
				res, err := s.Commit(ctx, batch)
				cpu += processCPU() - before
				if err != nil || res.New != c.size {
					b.Fatalf("Commit: New = %d, %v; want %d", res.New, err, c.size)
				}
			}
			b.ReportMetric(float64(k*c.size)/b.Elapsed().Seconds(), "items/s")
			if cpu > 0 {
				b.ReportMetric(float64(k*c.size)/cpu.Seconds(), "items/cpu-s")
			}
		})
	}
}

// BenchmarkCommitDuplicates measures committing again, in batches of
// 10,000, incidents stored before unchanged, as a feed fetched again or a
// replay run twice does: each batch is first committed new, untimed, then
// again. items/s counts the duplicates.
func BenchmarkCommitDuplicates(b *testing.B) {
	db, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const size = 10000
	k := 0
	for b.Loop() {
		b.StopTimer()
		batch := benchBatch(k, size, true)
		k++
		if _, err := db.Commit(ctx, batch); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := db.Commit(ctx, batch)
		if err != nil || res.Duplicate != size {
			b.Fatalf("Commit again: Duplicate = %d, %v; want %d", res.Duplicate, err, size)
		}
	}
	b.ReportMetric(float64(k*size)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkMemoryReplay commits a replay of 1.3 M FIRMS-like incidents (one
// in twenty a violation) into a Memory store and reports the heap it keeps
// per incident, batches excluded.
func BenchmarkMemoryReplay(b *testing.B) {
	const batches, size = 26, 50000
	ctx := context.Background()
	var heap float64
	for b.Loop() {
		b.StopTimer()
		m := NewMemory()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for k := range batches {
			b.StopTimer()
			batch := benchBatch(k, size, true)
			b.StartTimer()
			if _, err := m.Commit(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		if n, _ := m.IncidentCount(ctx); n != batches*size {
			b.Fatalf("IncidentCount = %d, want %d", n, batches*size)
		}
		heap = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		m.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*batches*size)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(heap/(batches*size), "heap-B/incident")
}
