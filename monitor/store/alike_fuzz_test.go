package store

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// fuzzBatches reads batches from data, a byte at a time, over two sources
// that share five ids, and four zones: per batch its source and a count of
// items, per item its id, one of three contents, the zones of its
// violations, their placement and whether they carry zone and config
// digests (so that their leaves are stored lean), then the ids the batch
// deletes, a tier it may set of an incident of either source and a cursor
// it may store. It ends where data does.
func fuzzBatches(data []byte) []*monitor.Batch {
	next := func() (byte, bool) {
		if len(data) == 0 {
			return 0, false
		}
		b := data[0]
		data = data[1:]
		return b, true
	}
	ids := [...]string{"a", "b", "c", "d", "e"}
	sources := [...]string{"s", "s2"}
	var out []*monitor.Batch
	for {
		n, ok := next()
		if !ok {
			return out
		}
		b := &monitor.Batch{Source: sources[n>>7]}
		for range n % 6 {
			x, ok := next()
			if !ok {
				break
			}
			z, _ := next()
			id := ids[int(x)%len(ids)]
			inc := incident(b.Source, id, time.Duration(int(x)%len(ids))*time.Hour)
			if c := int(x/8) % 3; c > 0 {
				inc.Lon, inc.Raw = inc.Lon+float64(c)/10, fmt.Sprintf("%s,content %d", inc.Raw, c)
			}
			var zones []string
			for k := range 4 {
				if z&(1<<k) != 0 {
					zones = append(zones, fmt.Sprintf("Z%d", k+1))
				}
			}
			it := item(inc, zones...)
			if z&16 != 0 {
				for i := range it.Violations {
					it.Violations[i].Placement = monitor.Buffer
				}
			}
			if z&32 != 0 {
				it = versioned(it)
			}
			b.Items = append(b.Items, it)
		}
		del, _ := next()
		for k, id := range ids {
			if del&(1<<k) != 0 {
				b.Deleted = append(b.Deleted, id)
			}
		}
		for range 2 { // up to two tier updates, of one incident or two
			tier, _ := next()
			if tier&1 == 0 {
				continue
			}
			u := monitor.TierUpdate{Trial: "t", IncidentID: ids[int(tier>>2)%len(ids)], Tier: tierSingle}
			if tier&2 != 0 {
				u.Source = sources[(tier>>5)&1]
			}
			if tier&128 != 0 {
				u.Tier = "corroborated"
			}
			b.Tiers = append(b.Tiers, u)
			if tier&64 != 0 { // and a cursor: one of two keys, a value by batch
				b.CursorKey, b.CursorValue = fmt.Sprintf("doc-%d", (tier>>4)&1), fmt.Sprintf("v-%d", len(out))
			}
		}
		out = append(out, b)
	}
}

// FuzzStoresAlike commits the batches of fuzzBatches to the SQLite,
// memory and dry-run stores: every commit must report the same counts,
// violations and retractions in the same order, and at the end the SQLite
// and memory stores must hold the same totals, recent violations, daily
// counts, located incidents, tiers, violations of each incident and
// evidence log head (and all three the same number of incidents and the
// same cursors), and the SQLite log must pass its audit.
// Its seeds, random batch sequences, run with every go test.
func FuzzStoresAlike(f *testing.F) {
	r := rand.New(rand.NewPCG(12, 5))
	for range 40 {
		seed := make([]byte, 20+r.IntN(60))
		for i := range seed {
			seed[i] = byte(r.Uint32())
		}
		f.Add(seed)
	}
	f.Fuzz(storesAlike)
}

// storesAlike is FuzzStoresAlike's check of one input.
func storesAlike(t *testing.T, data []byte) {
	batches := fuzzBatches(data)
	if len(batches) > 40 {
		batches = batches[:40]
	}
	ctx := context.Background()
	db, mem, dry := openTestDB(t, t.TempDir()), NewMemory(), NewDryRun()
	defer mem.Close()
	defer dry.Close()
	for i, batch := range batches {
		want := mustCommit(t, mem, batch)
		for _, s := range []struct {
			name  string
			store monitor.Store
		}{{"sqlite", db}, {"dry run", dry}} {
			got := mustCommit(t, s.store, batch)
			if g, w := violationIDs(got.Violations), violationIDs(want.Violations); !slices.Equal(g, w) {
				t.Fatalf("batch %d %+v, %s: violations %v, memory store %v", i, batch, s.name, g, w)
			}
			if g, w := violationIDs(got.Retracted), violationIDs(want.Retracted); !slices.Equal(g, w) {
				t.Fatalf("batch %d %+v, %s: retracted %v, memory store %v", i, batch, s.name, g, w)
			}
			if got.New != want.New || got.Revised != want.Revised || got.Duplicate != want.Duplicate || got.Deleted != want.Deleted {
				t.Fatalf("batch %d %+v, %s: %s, memory store %s", i, batch, s.name, counts(got), counts(want))
			}
		}
	}
	gotTotals, err := db.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantTotals, err := mem.Totals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotTotals, wantTotals) {
		t.Errorf("totals %+v, memory store %+v", gotTotals, wantTotals)
	}
	gotRecent, err := db.Recent(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	wantRecent, err := mem.Recent(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := violationIDs(gotRecent), violationIDs(wantRecent); !slices.Equal(g, w) {
		t.Errorf("recent %v, memory store %v", g, w)
	}
	from, to := t0.Add(-48*time.Hour), t0.Add(48*time.Hour)
	if g, w := countsOf(t, db, from, to), countsOf(t, mem, from, to); !slices.Equal(g, w) {
		t.Errorf("daily counts %v, memory store %v", g, w)
	}
	gotLocated, err := db.Located(ctx, from, to, "t")
	if err != nil {
		t.Fatal(err)
	}
	wantLocated, err := mem.Located(ctx, from, to, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(gotLocated, wantLocated, func(a, b monitor.Located) bool {
		return a.Source == b.Source && a.ID == b.ID && a.At.Equal(b.At) && a.Lon == b.Lon && a.Lat == b.Lat && a.Violation == b.Violation
	}) {
		t.Errorf("located %+v, memory store %+v", gotLocated, wantLocated)
	}
	for _, s := range []monitor.Store{db, dry} {
		if got, want := count(t, s), count(t, mem); got != want {
			t.Errorf("%T holds %d incidents, memory store %d", s, got, want)
		}
		for _, source := range []string{"s", "s2"} {
			got, err := s.Cursors(ctx, source)
			if err != nil {
				t.Fatal(err)
			}
			want, err := mem.Cursors(ctx, source)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) {
				t.Errorf("%T: cursors of %s %v, memory store %v", s, source, got, want)
			}
		}
	}
	gotTiers, err := db.TierCounts(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	wantTiers, err := mem.TierCounts(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotTiers, wantTiers) {
		t.Errorf("tier counts %+v, memory store %+v", gotTiers, wantTiers)
	}
	for _, source := range []string{"s", "s2"} {
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			got, err := db.ViolationsOf(ctx, "t", source, id)
			if err != nil {
				t.Fatal(err)
			}
			want, err := mem.ViolationsOf(ctx, "t", source, id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, want, func(a, b monitor.Violation) bool { return sameViolation(a, b) }) {
				t.Errorf("violations of %s/%s %+v, memory store %+v", source, id, got, want)
			}
		}
	}
	sameLogs(t, db, mem)
}
