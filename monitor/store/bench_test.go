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
// raw lines of about 120 bytes, one in twenty a violation.
func benchBatch(k, size int) *monitor.Batch {
	b := &monitor.Batch{
		Source:      "firms-noaa20",
		CursorKey:   fmt.Sprintf("archive/%05d.csv", k),
		CursorValue: "etag",
		Items:       make([]monitor.Item, size),
	}
	for i := range size {
		id := fmt.Sprintf("%.5f_%.5f_%d_N20", 48+float64(i%997)/1000, 37+float64(i/997)/1000, k)
		inc := incident(b.Source, id, time.Duration(k*size+i)*time.Second)
		b.Items[i].Incident = inc
		if i%20 == 0 {
			b.Items[i].Violations = []monitor.Violation{violation(inc, "donbas-freeze", "UA-14")}
		}
	}
	return b
}

// BenchmarkCommit measures committing new incidents in replay-sized
// batches into a growing store; items/s counts incidents.
func BenchmarkCommit(b *testing.B) {
	for _, size := range []int{10000, 50000} {
		for _, impl := range []struct {
			name string
			open func(b *testing.B) monitor.Store
		}{
			{"sqlite", func(b *testing.B) monitor.Store {
				db, err := Open(b.TempDir(), Options{})
				if err != nil {
					b.Fatal(err)
				}
				return db
			}},
			{"memory", func(b *testing.B) monitor.Store { return NewMemory() }},
		} {
			b.Run(fmt.Sprintf("%s/batch=%d", impl.name, size), func(b *testing.B) {
				s := impl.open(b)
				defer s.Close()
				ctx := context.Background()
				k := 0
				for b.Loop() {
					b.StopTimer()
					batch := benchBatch(k, size)
					k++
					b.StartTimer()
					res, err := s.Commit(ctx, batch)
					if err != nil || res.New != size {
						b.Fatalf("Commit: New = %d, %v; want %d", res.New, err, size)
					}
				}
				b.ReportMetric(float64(k*size)/b.Elapsed().Seconds(), "items/s")
			})
		}
	}
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
			batch := benchBatch(k, size)
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
