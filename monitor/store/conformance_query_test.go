package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func testQueries(t *testing.T, s fullStore) {
	ctx := context.Background()
	a := incident("s", "a", time.Hour)
	a.Category = monitor.Shelling
	b := incident("s", "b", 2*time.Hour)
	c := incident("s", "c", 50*time.Hour)
	d := incident("s", "d", 30*time.Hour)
	va, vau := violation(a, "t", "Z1"), violation(a, "u", "Z1")
	vb, vc, vd := violation(b, "t", "Z1"), violation(c, "t", "Z1"), violation(d, "t", "Z2")
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{
		{Incident: a, Violations: []monitor.Violation{va, vau}},
		{Incident: b, Violations: []monitor.Violation{vb}},
	}})
	// e is ambiguous in Z2 (its uncertainty reaches in from outside) and in
	// Z3: counted apart, with no day and no last time of its own.
	e := incident("s", "e", 80*time.Hour)
	ve2, ve3 := violation(e, "t", "Z2"), violation(e, "t", "Z3")
	ve2.Placement, ve3.Placement = monitor.Ambiguous, monitor.Ambiguous
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{
		{Incident: c, Violations: []monitor.Violation{vc}},
		{Incident: d, Violations: []monitor.Violation{vd}},
		{Incident: e, Violations: []monitor.Violation{ve2, ve3}},
	}})

	t.Run("totals", func(t *testing.T) {
		got, err := s.Totals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []monitor.ViolationTotal{
			{Trial: "t", ZoneID: "Z1", Category: monitor.Shelling, Count: 1, Last: a.OccurredAt},
			{Trial: "t", ZoneID: "Z1", Category: monitor.ThermalAnomaly, Count: 2, Last: c.OccurredAt},
			{Trial: "t", ZoneID: "Z2", Category: monitor.ThermalAnomaly, Count: 1, Ambiguous: 1, Last: d.OccurredAt},
			{Trial: "t", ZoneID: "Z3", Category: monitor.ThermalAnomaly, Count: 0, Ambiguous: 1},
			{Trial: "u", ZoneID: "Z1", Category: monitor.Shelling, Count: 1, Last: a.OccurredAt},
		}
		if !slices.EqualFunc(got, want, func(g, w monitor.ViolationTotal) bool {
			return g.Trial == w.Trial && g.ZoneID == w.ZoneID && g.Category == w.Category &&
				g.Count == w.Count && g.Ambiguous == w.Ambiguous && g.Last.Equal(w.Last) &&
				(g.Last.IsZero() || g.Last.Location() == time.UTC)
		}) {
			t.Errorf("Totals =\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("days", func(t *testing.T) {
		got, err := s.Days(ctx)
		if err != nil {
			t.Fatal(err)
		}
		day := func(trial, zone string, n int) monitor.ViolationDay {
			return monitor.ViolationDay{Trial: trial, ZoneID: zone, Day: n}
		}
		want := []monitor.ViolationDay{day("t", "Z1", 0), day("t", "Z1", 2), day("t", "Z2", 1), day("u", "Z1", 0)}
		if !slices.Equal(got, want) {
			t.Errorf("Days = %v, want %v", got, want)
		}
	})
	recent := []struct {
		limit int
		want  []monitor.Violation
	}{
		{-1, nil},
		{0, nil},
		{2, []monitor.Violation{ve2, ve3}},
		{5, []monitor.Violation{ve2, ve3, vc, vd, vb}},
		{100, []monitor.Violation{ve2, ve3, vc, vd, vb, va, vau}},
	}
	for _, tt := range recent {
		t.Run("recent", func(t *testing.T) {
			got, err := s.Recent(ctx, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tt.want, sameViolation) {
				t.Errorf("Recent(%d) = %q, want %q", tt.limit, violationIDs(got), violationIDs(tt.want))
			}
		})
	}
}

func testTimeRoundTrip(t *testing.T, s fullStore) {
	ctx := context.Background()
	inc := incident("s", "x", 0)
	inc.OccurredAt = time.Date(2026, 12, 3, 4, 5, 6, 123456789, time.FixedZone("EEST", 3*3600))
	v := violation(inc, "t", "Z")
	res := mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{{Incident: inc, Violations: []monitor.Violation{v}}}})
	got, err := s.Recent(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	totals, err := s.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(totals) != 1 || len(res.Violations) != 1 {
		t.Fatalf("got %d recent, %d totals, %d committed; want 1 each", len(got), len(totals), len(res.Violations))
	}
	for name, ts := range map[string]time.Time{"Recent": got[0].OccurredAt, "Totals": totals[0].Last, "Commit": res.Violations[0].OccurredAt} {
		if !ts.Equal(inc.OccurredAt) || ts.Location() != time.UTC {
			t.Errorf("%s time = %v, want %v in UTC", name, ts, inc.OccurredAt.UTC())
		}
	}
}

func testCancelled(t *testing.T, s fullStore) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Commit(ctx, numberedBatch("s", 0, 1000))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit with cancelled context: err = %v, want context.Canceled", err)
	}
	if n := count(t, s); n != 0 {
		t.Errorf("IncidentCount = %d after cancelled commit, want 0", n)
	}
	cur, err := s.Cursors(context.Background(), "s")
	if err != nil || len(cur) != 0 {
		t.Errorf("Cursors = %v, %v after cancelled commit; want none", cur, err)
	}
	tot, err := s.Totals(context.Background())
	if err != nil || len(tot) != 0 {
		t.Errorf("Totals = %v, %v after cancelled commit; want none", tot, err)
	}
}

func testInvalid(t *testing.T, s fullStore) {
	good := incident("s", "ok", 0)
	tests := []struct {
		name string
		edit func(b *monitor.Batch)
	}{
		{"no source", func(b *monitor.Batch) { b.Source = "" }},
		{"incident of another source", func(b *monitor.Batch) { b.Items[1].Incident.Source = "o" }},
		{"incident without id", func(b *monitor.Batch) { b.Items[1].Incident.ID = "" }},
		{"incident without time", func(b *monitor.Batch) { b.Items[1].Incident.OccurredAt = time.Time{} }},
		{"violation of another incident", func(b *monitor.Batch) { b.Items[1].Violations[0].IncidentID = "ok" }},
		{"violation of another source", func(b *monitor.Batch) { b.Items[1].Violations[0].Source = "o" }},
		{"violation without zone", func(b *monitor.Batch) { b.Items[1].Violations[0].ZoneID = "" }},
		{"violation beyond 2261", func(b *monitor.Batch) {
			b.Items[1].Violations[0].OccurredAt = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &monitor.Batch{Source: "s", CursorKey: "k", CursorValue: "v",
				Items: []monitor.Item{item(good, "Z"), item(incident("s", "bad", time.Hour), "Z")}}
			tt.edit(b)
			_, err := s.Commit(context.Background(), b)
			if err == nil {
				t.Fatal("Commit accepted an invalid batch")
			}
			if !errors.Is(err, monitor.ErrInvalidBatch) {
				t.Errorf("error %v does not wrap ErrInvalidBatch: the runner would retry it", err)
			}
			if n := count(t, s); n != 0 {
				t.Errorf("IncidentCount = %d after rejected batch, want 0", n)
			}
		})
	}
	t.Run("empty ids in violations are filled in", func(t *testing.T) {
		it := item(good, "Z")
		it.Violations[0].Source, it.Violations[0].IncidentID = "", ""
		it.Incident.Source = ""
		res := mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{it}})
		if len(res.Violations) != 1 || res.Violations[0].Source != "s" || res.Violations[0].IncidentID != "ok" {
			t.Errorf("Commit violations = %+v, want one of incident s/ok", res.Violations)
		}
	})
}

func testState(t *testing.T, s fullStore) {
	ctx := context.Background()
	if v, ok, err := s.GetState(ctx, "alerts"); err != nil || ok || v != nil {
		t.Fatalf("GetState on empty store = %q, %v, %v; want nothing", v, ok, err)
	}
	steps := []struct {
		name  string
		put   []byte
		want  []byte
		other bool // also check another key stays absent
	}{
		{"first", []byte(`{"a":1}`), []byte(`{"a":1}`), true},
		{"replace", []byte{0, 1, 2, 255}, []byte{0, 1, 2, 255}, false},
		{"nil is empty", nil, []byte{}, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := s.PutState(ctx, "alerts", st.put); err != nil {
				t.Fatal(err)
			}
			if st.put != nil {
				st.put[0] ^= 0xff // the store must have copied it
			}
			got, ok, err := s.GetState(ctx, "alerts")
			if err != nil || !ok || !bytes.Equal(got, st.want) || got == nil {
				t.Errorf("GetState = %q, %v, %v; want %q, true", got, ok, err, st.want)
			}
			if st.other {
				if _, ok, _ := s.GetState(ctx, "other"); ok {
					t.Error("GetState(other) found a value never stored")
				}
			}
		})
	}
}

// testConcurrent reads while batches are committed and checks that readers
// only ever see whole batches, in order.
func testConcurrent(t *testing.T, s fullStore) {
	const batches, size, readers = 10, 200, 2
	ctx := context.Background()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range readers {
		wg.Go(func() {
			var last int64
			for {
				select {
				case <-done:
					return
				default:
				}
				n, err := s.IncidentCount(ctx)
				if err != nil || n%size != 0 || n < last {
					t.Errorf("IncidentCount = %d, %v after %d; want a growing multiple of %d", n, err, last, size)
					return
				}
				last = n
				tot, err := s.Totals(ctx)
				if err != nil || (len(tot) == 1 && tot[0].Count%size != 0) {
					t.Errorf("Totals = %+v, %v; want whole batches", tot, err)
					return
				}
				if _, err := s.Recent(ctx, 10); err != nil {
					t.Errorf("Recent: %v", err)
					return
				}
				time.Sleep(time.Millisecond) // leave the writer some CPU

			}
		})
	}
	for k := range batches {
		if res := mustCommit(t, s, numberedBatch("s", k, size)); res.New != size {
			t.Errorf("batch %d: New = %d, want %d", k, res.New, size)
		}
	}
	close(done)
	wg.Wait()
	if n := count(t, s); n != batches*size {
		t.Errorf("IncidentCount = %d, want %d", n, batches*size)
	}
}
