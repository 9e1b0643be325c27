package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestDryRunAnswersLikeMemory commits the same batches to a DryRun and to a
// Memory store and checks that every commit reports the same new,
// duplicate, revised and deleted incidents, the same violations and the
// same retractions, and that the counts read back agree.
func TestDryRunAnswersLikeMemory(t *testing.T) {
	a := incident("s", "a", time.Hour)
	b := incident("s", "b", 2*time.Hour)
	moved := a
	moved.Lon = 30 // a revision: content changed
	buffered := item(b, "z1")
	buffered.Violations[0].Placement = monitor.Buffer
	ambiguous := item(moved, "z2")
	ambiguous.Violations[0].Placement = monitor.Ambiguous
	tests := []struct {
		name  string
		batch monitor.Batch
	}{
		{"new", monitor.Batch{Source: "s", Items: []monitor.Item{item(a, "z1", "z2"), item(b, "z1")}}},
		{"same again", monitor.Batch{Source: "s", Items: []monitor.Item{item(a, "z1", "z2")}}},
		{"other source, same id", monitor.Batch{Source: "o", Items: []monitor.Item{item(incident("o", "a", time.Hour), "z1")}}},
		{"revised, one zone kept", monitor.Batch{Source: "s", Items: []monitor.Item{item(moved, "z2", "z3")}}},
		{"revised twice in a batch", monitor.Batch{Source: "s", Items: []monitor.Item{buffered, item(b, "z1")}}},
		{"repeated within the batch", monitor.Batch{Source: "s", Items: []monitor.Item{
			item(incident("s", "c", time.Hour), "z1"), item(incident("s", "c", 3*time.Hour))}}},
		{"placement changed", monitor.Batch{Source: "s", Items: []monitor.Item{ambiguous}}},
		{"deleted", monitor.Batch{Source: "s", Deleted: []string{"a", "nope"}, CursorKey: "k", CursorValue: "v"}},
		{"deleted again, then back", monitor.Batch{Source: "s", Items: []monitor.Item{item(a, "z1")}, Deleted: []string{"a"}}},
		{"revision before a new incident", monitor.Batch{Source: "s", Items: []monitor.Item{
			item(moved, "z4"), item(incident("s", "d", time.Hour), "z1")}}},
		{"unchanged, then changed in the same batch: the second is a repeat", monitor.Batch{Source: "s", Items: []monitor.Item{
			item(moved, "z4"), item(a, "z1")}}},
	}
	ctx := context.Background()
	mem, dry := NewMemory(), NewDryRun()
	defer mem.Close()
	defer dry.Close()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := mem.Commit(ctx, &tc.batch)
			if err != nil {
				t.Fatal(err)
			}
			got, err := dry.Commit(ctx, &tc.batch)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := counts(got), counts(want); g != w {
				t.Errorf("commit: got %s, want %s", g, w)
			}
			if !slices.Equal(got.Violations, want.Violations) {
				t.Errorf("violations:\n got %v\nwant %v", got.Violations, want.Violations)
			}
			if g, w := retractions(got.Retracted), retractions(want.Retracted); !slices.Equal(g, w) {
				t.Errorf("retracted:\n got %v\nwant %v", g, w)
			}
			gn, _ := dry.IncidentCount(ctx)
			wn, _ := mem.IncidentCount(ctx)
			if gn != wn {
				t.Errorf("incident count %d, want %d", gn, wn)
			}
			gt, _ := dry.Totals(ctx)
			wt, _ := mem.Totals(ctx)
			if g, w := totalCounts(gt), totalCounts(wt); !slices.Equal(g, w) {
				t.Errorf("totals:\n got %v\nwant %v", g, w)
			}
		})
	}
	c, err := dry.Cursors(ctx, "s")
	if err != nil || c["k"] != "v" {
		t.Errorf("cursors %v, %v; want k=v", c, err)
	}
}

func counts(r monitor.CommitResult) string {
	return fmt.Sprintf("new %d, duplicate %d, revised %d, deleted %d", r.New, r.Duplicate, r.Revised, r.Deleted)
}

// retractions lists what a DryRun keeps of retracted violations, sorted.
func retractions(vs []monitor.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprintf("%s/%s/%s/%s/%s/%s", v.Trial, v.ZoneID, v.Category, v.Source, v.IncidentID, v.Placement)
	}
	slices.Sort(out)
	return out
}

func totalCounts(ts []monitor.ViolationTotal) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s/%s/%s: %d, %d retracted, %d ambiguous", t.Trial, t.ZoneID, t.Category, t.Count, t.Retracted, t.Ambiguous)
	}
	return out
}

// TestDryRunGrowsWithoutLosingIncidents commits more incidents than the
// first hash table and chunk hold, then all of them again: every one is
// found as a duplicate.
func TestDryRunGrowsWithoutLosingIncidents(t *testing.T) {
	const n = 3*entryChunk + 17
	items := make([]monitor.Item, n)
	for i := range items {
		items[i].Incident = incident("s", fmt.Sprint("id", i), time.Duration(i)*time.Second)
		items[i].Violations = []monitor.Violation{violation(items[i].Incident, "t", fmt.Sprint("z", i%7))}
	}
	ctx := context.Background()
	dry := NewDryRun()
	defer dry.Close()
	for _, want := range []string{fmt.Sprintf("new %d, duplicate 0", n), fmt.Sprintf("new 0, duplicate %d", n)} {
		res, err := dry.Commit(ctx, &monitor.Batch{Source: "s", Items: items})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("new %d, duplicate %d", res.New, res.Duplicate); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if c, _ := dry.IncidentCount(ctx); c != n {
		t.Errorf("incident count %d, want %d", c, n)
	}
	ts, _ := dry.Totals(ctx)
	sum := int64(0)
	for _, x := range ts {
		sum += x.Count
	}
	if len(ts) != 7 || sum != n {
		t.Errorf("%d totals counting %d, want 7 counting %d", len(ts), sum, n)
	}
}

// TestDryRunRefuses checks the batches and states a DryRun refuses.
func TestDryRunRefuses(t *testing.T) {
	ctx := context.Background()
	inc := incident("s", "a", 0)
	odd := violation(inc, "t", "z")
	odd.Placement = "near"
	tests := []struct {
		name  string
		batch monitor.Batch
		want  error
	}{
		{"unknown placement", monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: inc, Violations: []monitor.Violation{odd}}}}, monitor.ErrInvalidBatch},
		{"no source", monitor.Batch{Items: []monitor.Item{{Incident: inc}}}, monitor.ErrInvalidBatch},
	}
	dry := NewDryRun()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := dry.Commit(ctx, &tc.batch); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if n, _ := dry.IncidentCount(ctx); n != 0 {
		t.Errorf("refused batches stored %d incidents", n)
	}
	dry.Close()
	if _, err := dry.Commit(ctx, &monitor.Batch{Source: "s"}); !errors.Is(err, errClosed) {
		t.Errorf("commit after close: %v", err)
	}
}
