package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestConformance runs the same semantic checks against every
// implementation of monitor.Store in this package.
func TestConformance(t *testing.T) {
	for _, impl := range implementations() {
		t.Run(impl.name, func(t *testing.T) {
			t.Run("dedupe", func(t *testing.T) { testDedupe(t, impl.open) })
			t.Run("cursors", func(t *testing.T) { testCursors(t, impl.open(t)) })
			t.Run("queries", func(t *testing.T) { testQueries(t, impl.open(t)) })
			t.Run("time round-trip", func(t *testing.T) { testTimeRoundTrip(t, impl.open(t)) })
			t.Run("cancelled context", func(t *testing.T) { testCancelled(t, impl.open(t)) })
			t.Run("invalid batches", func(t *testing.T) { testInvalid(t, impl.open(t)) })
			t.Run("state", func(t *testing.T) { testState(t, impl.open(t)) })
			t.Run("revisions", func(t *testing.T) { testRevisions(t, impl.open(t)) })
			t.Run("revisions across chunks", func(t *testing.T) { testRevisionsAcrossChunks(t, impl.open(t)) })
			t.Run("concurrent readers", func(t *testing.T) { testConcurrent(t, impl.open(t)) })
			t.Run("evidence log", func(t *testing.T) { testEvidence(t, impl.open(t)) })
			t.Run("daily counts", func(t *testing.T) { testDailyCounts(t, impl.open(t)) })
			t.Run("tiers", func(t *testing.T) { testTiers(t, impl.open(t)) })
			t.Run("attempts", func(t *testing.T) { testAttempts(t, impl.open(t)) })
		})
	}
}

func testDedupe(t *testing.T, open func(*testing.T) fullStore) {
	a := incident("s", "a", time.Hour)
	b := incident("s", "b", 2*time.Hour)
	aOther := incident("other", "a", time.Hour)
	tests := []struct {
		name      string
		batches   []monitor.Batch
		wantLast  monitor.CommitResult // Violations compared by violationIDs
		wantCount int64
	}{
		{
			name: "new incidents",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1", "Z2"), item(b)}},
			},
			wantLast:  monitor.CommitResult{New: 2, Violations: []monitor.Violation{violation(a, "t", "Z1"), violation(a, "t", "Z2")}},
			wantCount: 2,
		},
		{
			name: "same batch twice",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1"), item(b, "Z1")}},
				{Source: "s", Items: []monitor.Item{item(a, "Z1"), item(b, "Z1")}},
			},
			wantLast:  monitor.CommitResult{Duplicate: 2},
			wantCount: 2,
		},
		{
			name: "known incident with new violations is ignored",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1")}},
				{Source: "s", Items: []monitor.Item{item(a, "Z2"), item(b, "Z2")}},
			},
			wantLast:  monitor.CommitResult{New: 1, Duplicate: 1, Violations: []monitor.Violation{violation(b, "t", "Z2")}},
			wantCount: 2,
		},
		{
			name: "repeat within one batch keeps the first",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1"), item(b), item(a, "Z2")}},
			},
			wantLast:  monitor.CommitResult{New: 2, Duplicate: 1, Violations: []monitor.Violation{violation(a, "t", "Z1")}},
			wantCount: 2,
		},
		{
			name: "repeated violation within one item is stored once",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1", "Z1", "Z2")}},
			},
			wantLast:  monitor.CommitResult{New: 1, Violations: []monitor.Violation{violation(a, "t", "Z1"), violation(a, "t", "Z2")}},
			wantCount: 1,
		},
		{
			name: "same id in another source is another incident",
			batches: []monitor.Batch{
				{Source: "s", Items: []monitor.Item{item(a, "Z1")}},
				{Source: "other", Items: []monitor.Item{item(aOther, "Z1")}},
			},
			wantLast:  monitor.CommitResult{New: 1, Violations: []monitor.Violation{violation(aOther, "t", "Z1")}},
			wantCount: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			var got monitor.CommitResult
			for i := range tt.batches {
				got = mustCommit(t, s, &tt.batches[i])
			}
			if got.New != tt.wantLast.New || got.Duplicate != tt.wantLast.Duplicate {
				t.Errorf("last commit: New=%d Duplicate=%d, want %d and %d", got.New, got.Duplicate, tt.wantLast.New, tt.wantLast.Duplicate)
			}
			if g, w := violationIDs(got.Violations), violationIDs(tt.wantLast.Violations); !slices.Equal(g, w) {
				t.Errorf("last commit violations = %q, want %q", g, w)
			}
			if n := count(t, s); n != tt.wantCount {
				t.Errorf("IncidentCount = %d, want %d", n, tt.wantCount)
			}
			recent, err := s.Recent(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			var all []monitor.Violation
			for i := range tt.batches {
				for _, it := range tt.batches[i].Items {
					all = append(all, it.Violations...)
				}
			}
			for _, v := range recent {
				if !slices.ContainsFunc(all, func(w monitor.Violation) bool { return sameViolation(w, v) }) {
					t.Errorf("stored violation %+v was never committed", v)
				}
			}
		})
	}
}

func testCursors(t *testing.T, s fullStore) {
	ctx := context.Background()
	got, err := s.Cursors(ctx, "s")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Cursors on empty store = %v, %v; want empty non-nil map", got, err)
	}
	steps := []struct {
		name   string
		batch  monitor.Batch
		source string
		want   map[string]string
	}{
		{"first", monitor.Batch{Source: "s", CursorKey: "f1", CursorValue: "etag-1"}, "s", map[string]string{"f1": "etag-1"}},
		{"second key", monitor.Batch{Source: "s", CursorKey: "f2", CursorValue: "2026-12-01"}, "s", map[string]string{"f1": "etag-1", "f2": "2026-12-01"}},
		{"update", monitor.Batch{Source: "s", CursorKey: "f1", CursorValue: "etag-2"}, "s", map[string]string{"f1": "etag-2", "f2": "2026-12-01"}},
		{"empty key stores nothing", monitor.Batch{Source: "s", CursorValue: "ignored"}, "s", map[string]string{"f1": "etag-2", "f2": "2026-12-01"}},
		{"other source", monitor.Batch{Source: "o", CursorKey: "f1", CursorValue: "x"}, "o", map[string]string{"f1": "x"}},
		{"with items", monitor.Batch{Source: "o", CursorKey: "f1", CursorValue: "y",
			Items: []monitor.Item{item(incident("o", "i", 0))}}, "o", map[string]string{"f1": "y"}},
		{"only duplicates still move the cursor", monitor.Batch{Source: "o", CursorKey: "f1", CursorValue: "z",
			Items: []monitor.Item{item(incident("o", "i", 0))}}, "o", map[string]string{"f1": "z"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			mustCommit(t, s, &st.batch)
			got, err := s.Cursors(ctx, st.source)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(st.want) {
				t.Errorf("Cursors(%q) = %v, want %v", st.source, got, st.want)
			}
			for k, v := range st.want {
				if got[k] != v {
					t.Errorf("Cursors(%q)[%q] = %q, want %q", st.source, k, got[k], v)
				}
			}
		})
	}
}
