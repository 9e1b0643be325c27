package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// testRevisions walks one incident through revisions and a deletion and
// checks what each commit reports and what the totals and days say after.
func testRevisions(t *testing.T, s fullStore) {
	ctx := context.Background()
	a := incident("s", "a", time.Hour)
	moved := a
	moved.Lon, moved.Raw = 38.5, a.Raw+",moved"
	reworded := moved
	reworded.Raw = moved.Raw + ",reworded"
	b := incident("s", "b", 30*time.Hour)
	bOther := b
	bOther.Raw += ",other"
	batch := func(items ...monitor.Item) *monitor.Batch { return &monitor.Batch{Source: "s", Items: items} }
	type want struct {
		res          string // counts and violation ids
		totals, days string
	}
	steps := []struct {
		name  string
		batch *monitor.Batch
		want  want
	}{
		{"new", batch(item(a, "Z1")),
			want{"new 1 dup 0 rev 0 del 0 +[t/Z1/s/a] -[]", "t/Z1 1-0", "t/Z1/0"}},
		{"moved to Z2: Z1 retracted", batch(item(moved, "Z2")),
			want{"new 0 dup 0 rev 1 del 0 +[t/Z2/s/a] -[t/Z1/s/a]", "t/Z1 1-1 t/Z2 1-0", "t/Z2/0"}},
		{"the same again is a duplicate", batch(item(moved, "Z2")),
			want{"new 0 dup 1 rev 0 del 0 +[] -[]", "t/Z1 1-1 t/Z2 1-0", "t/Z2/0"}},
		{"reworded, same violation: kept", batch(item(reworded, "Z2")),
			want{"new 0 dup 0 rev 1 del 0 +[] -[]", "t/Z1 1-1 t/Z2 1-0", "t/Z2/0"}},
		{"deleted", &monitor.Batch{Source: "s", Deleted: []string{"a", "unknown"}},
			want{"new 0 dup 0 rev 0 del 1 +[] -[t/Z2/s/a]", "t/Z1 1-1 t/Z2 1-1", ""}},
		{"deleted twice changes nothing", &monitor.Batch{Source: "s", Deleted: []string{"a"}},
			want{"new 0 dup 0 rev 0 del 0 +[] -[]", "t/Z1 1-1 t/Z2 1-1", ""}},
		{"sent again after deletion: stands again", batch(item(reworded, "Z2")),
			want{"new 0 dup 0 rev 1 del 0 +[t/Z2/s/a] -[]", "t/Z1 1-1 t/Z2 2-1", "t/Z2/0"}},
		{"a new id twice in one batch: the first wins", batch(item(b, "Z3"), item(bOther, "Z4")),
			want{"new 1 dup 1 rev 0 del 0 +[t/Z3/s/b] -[]", "t/Z1 1-1 t/Z2 2-1 t/Z3 1-0", "t/Z2/0 t/Z3/1"}},
		{"moved back: a revision whose violation stays in Z2", batch(item(moved, "Z2")),
			want{"new 0 dup 0 rev 1 del 0 +[] -[]", "t/Z1 1-1 t/Z2 2-1 t/Z3 1-0", "t/Z2/0 t/Z3/1"}},
	}
	for _, st := range steps {
		res := mustCommit(t, s, st.batch)
		got := fmt.Sprintf("new %d dup %d rev %d del %d +%v -%v", res.New, res.Duplicate, res.Revised, res.Deleted,
			violationIDs(res.Violations), violationIDs(res.Retracted))
		totals, err := s.Totals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var tt []string
		for _, v := range totals {
			tt = append(tt, fmt.Sprintf("%s/%s %d-%d", v.Trial, v.ZoneID, v.Count, v.Retracted))
		}
		days, err := s.Days(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var dd []string
		for _, d := range days {
			dd = append(dd, fmt.Sprintf("%s/%s/%d", d.Trial, d.ZoneID, d.Day))
		}
		if got != st.want.res || join(tt) != st.want.totals || join(dd) != st.want.days {
			t.Errorf("%s:\n got  %s | %s | %s\n want %s | %s | %s", st.name, got, join(tt), join(dd),
				st.want.res, st.want.totals, st.want.days)
		}
	}
	recent, err := s.Recent(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := violationIDs(recent); !slices.Equal(ids, []string{"t/Z3/s/b", "t/Z2/s/a"}) || recent[1].Lon != 38.5 {
		t.Errorf("standing violations %v (lon %v), want t/Z3/s/b and t/Z2/s/a at lon 38.5", ids, recent)
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

// testRevisionsAcrossChunks: a batch of 700 items, mostly stored before
// unchanged, some new, a few revised far apart (in the first, second and
// last of the chunks an SQL store reads them back in), counts each as it
// is.
func testRevisionsAcrossChunks(t *testing.T, s fullStore) {
	first := numberedBatch("s", 0, 600)
	mustCommit(t, s, first)
	again := numberedBatch("s", 0, 700) // items 600-699 are new
	for _, i := range []int{3, 300, 599} {
		again.Items[i].Incident.Lon += 0.01
		again.Items[i].Incident.Raw = `{"moved":true}`
	}
	res := mustCommit(t, s, again)
	if res.New != 100 || res.Duplicate != 597 || res.Revised != 3 {
		t.Errorf("new %d, duplicate %d, revised %d; want 100, 597, 3", res.New, res.Duplicate, res.Revised)
	}
	if res := mustCommit(t, s, again); res.Duplicate != 700 || res.Revised != 0 {
		t.Errorf("the same batch again: duplicate %d, revised %d; want 700, 0", res.Duplicate, res.Revised)
	}
}
