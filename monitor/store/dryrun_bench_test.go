package store

import (
	"context"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// BenchmarkDryRunCommit commits 64 batches of 4,096 new incidents, each
// with one violation, to a fresh DryRun store, then the same again as
// duplicates, as a dry replay of a doubled input does: it reports ns per
// incident committed.
func BenchmarkDryRunCommit(b *testing.B) {
	const n, batches = 4096, 64
	ctx := context.Background()
	bs := make([]*monitor.Batch, batches)
	for k := range bs {
		bs[k] = numberedBatch("s", k, n)
	}
	b.ReportAllocs()
	for b.Loop() {
		dry := NewDryRun()
		for range 2 {
			for _, bt := range bs {
				if _, err := dry.Commit(ctx, bt); err != nil {
					b.Fatal(err)
				}
			}
		}
		dry.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2*batches*n), "ns/incident")
}
