package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// testEvidence checks that a store logs, in the transaction of each batch,
// one leaf per incident stored new or revised, per violation stored and
// per violation retracted, and the document a batch completes; that
// duplicates log nothing; and that the log's stored hashes agree with its
// leaves.
func testEvidence(t *testing.T, s fullStore) {
	ctx := context.Background()
	a := incident("s", "a", time.Hour)
	moved := a
	moved.Lon, moved.Raw = 38.5, a.Raw+",moved"
	b := incident("s", "b", 2*time.Hour)
	withVersion := func(it monitor.Item, zone, config byte) monitor.Item {
		for i := range it.Violations {
			it.Violations[i].ZoneVersion[0], it.Violations[i].Config[0] = zone, config
		}
		return it
	}
	fetched := &monitor.Fetched{SHA256: evidence.Sum([]byte("doc")), FetchedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Cursor: "c1"}
	steps := []struct {
		name  string
		batch *monitor.Batch
		want  []string
	}{
		{"new", &monitor.Batch{Source: "s", Items: []monitor.Item{withVersion(item(a, "Z1"), 1, 2)}},
			[]string{`incident "s"/"a"`, `violation of "t" in zone "Z1" by incident "s"/"a" zone 01 config 02`}},
		{"duplicate logs nothing", &monitor.Batch{Source: "s", Items: []monitor.Item{withVersion(item(a, "Z1"), 1, 2)}}, nil},
		{"moved", &monitor.Batch{Source: "s", Items: []monitor.Item{withVersion(item(moved, "Z2"), 3, 2)}},
			[]string{`incident "s"/"a"`, `violation of "t" in zone "Z2" by incident "s"/"a" zone 03 config 02`,
				`retraction of "t" in zone "Z1" by incident "s"/"a" zone 01 config 02`}},
		{"deleted", &monitor.Batch{Source: "s", Deleted: []string{"a"}},
			[]string{`retraction of "t" in zone "Z2" by incident "s"/"a" zone 03 config 02`}},
		{"document", &monitor.Batch{Source: "s", CursorKey: "k", CursorValue: "c1", Fetched: fetched},
			[]string{`document "s" sha256 ` + evidence.Digest(fetched.SHA256).String()}},
		// The violations of new incidents come before those revisions add,
		// whatever the order of the items.
		{"revision before a new incident", &monitor.Batch{Source: "s", Items: []monitor.Item{
			withVersion(item(moved, "Z2", "Z3"), 3, 2), withVersion(item(b, "Z1"), 1, 2)}},
			[]string{`incident "s"/"a"`, `incident "s"/"b"`,
				`violation of "t" in zone "Z1" by incident "s"/"b" zone 01 config 02`,
				`violation of "t" in zone "Z2" by incident "s"/"a" zone 03 config 02`,
				`violation of "t" in zone "Z3" by incident "s"/"a" zone 03 config 02`}},
	}
	var all []string
	for _, st := range steps {
		before := logSize(t, s)
		mustCommit(t, s, st.batch)
		got := describeLeaves(t, s, before)
		if strings.Join(got, "\n") != strings.Join(st.want, "\n") {
			t.Errorf("%s: logged\n%s\nwant\n%s", st.name, strings.Join(got, "\n"), strings.Join(st.want, "\n"))
		}
		all = append(all, got...)
	}
	v := evidence.Version{FileKind: "config", Name: "c.yml", SHA256: evidence.Sum([]byte("c"))}
	start, err := s.AppendEvidence(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if start != int64(len(all)) {
		t.Errorf("AppendEvidence started at %d, want %d", start, len(all))
	}
	log, head := logHead(t, s)
	if head.N != int64(len(all))+1 {
		t.Errorf("log of %d leaves, want %d", head.N, len(all)+1)
	}
	if err := evidence.Audit(log, head); err != nil {
		t.Errorf("audit: %v", err)
	}
}

func logSize(t *testing.T, s fullStore) int64 {
	t.Helper()
	n, err := s.Evidence(context.Background()).Size()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// describeLeaves returns the leaves of s from index start, each named by
// its String and, for violations and retractions, the first byte of the
// versions they were judged under.
func describeLeaves(t *testing.T, s fullStore, start int64) []string {
	t.Helper()
	log := s.Evidence(context.Background())
	n, err := log.Size()
	if err != nil {
		t.Fatal(err)
	}
	data, err := log.ReadLeaves(start, n-start)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range data {
		l, err := evidence.Decode(d)
		if err != nil {
			t.Fatal(err)
		}
		desc := fmt.Sprint(l)
		switch v := l.(type) {
		case evidence.Violation:
			desc += fmt.Sprintf(" zone %02x config %02x", v.ZoneVersion[0], v.Config[0])
		case evidence.Retraction:
			desc += fmt.Sprintf(" zone %02x config %02x", v.ZoneVersion[0], v.Config[0])
		}
		out = append(out, desc)
	}
	return out
}
