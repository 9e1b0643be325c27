package monitor_test

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// recordingFetcher hands out doc on every fetch and notes the cursors it
// was given.
type recordingFetcher struct {
	doc  monitor.Document
	seen []map[string]string
}

func (f *recordingFetcher) Fetch(_ context.Context, cursors map[string]string) ([]monitor.Document, error) {
	f.seen = append(f.seen, maps.Clone(cursors))
	return []monitor.Document{f.doc}, nil
}

// interruptFirst stores the first batch of doc, then fails, leaving the
// document stored in part under its progress. It returns the store.
func interruptFirst(t *testing.T, doc monitor.Document, prev string) monitor.Store {
	t.Helper()
	mem := store.NewMemory()
	if prev != "" {
		if _, err := mem.Commit(context.Background(), &monitor.Batch{Source: "feed", CursorKey: doc.Key, CursorValue: prev}); err != nil {
			t.Fatal(err)
		}
	}
	fs := &failingStore{Store: mem, fail: func(call int, _ *monitor.Batch) error {
		if call > 1 {
			return errKilled
		}
		return nil
	}}
	r, _ := clockRunner(t, fs, newFakeClock(trialStart.Add(3*monitor.Day)), 4)
	src := memSource("feed", "", doc)
	if err := r.Fetch(context.Background(), src); !errors.Is(err, errKilled) {
		t.Fatalf("first fetch: %v, want it killed", err)
	}
	return mem
}

func TestResumeOnlyTheSameDocument(t *testing.T) {
	body := spoolCSV(30) // 26 incidents: six batches of four and two
	changed := strings.Replace(body, "r00002,", "x00002,", 1)
	tests := []struct {
		name       string
		doc        monitor.Document // fetched after the interruption
		wantSent   int64            // incidents given to the store
		wantDup    int              // incidents stored before, sent again
		wantStored int64
	}{
		{"same document resumes after the stored batch", memDoc("d", "v2", body), 22, 0, 26},
		{"another cursor starts over", memDoc("d", "v3", body), 26, 4, 26},
		{"same cursor, other records starts over", memDoc("d", "v2", changed), 26, 3, 27},
		{"a shorter document starts over", memDoc("d", "v2", "id,time,lat,lon,category\nr00000,2026-12-02T00:00:00Z,0.5,0.100,shelling\n"), 1, 1, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := interruptFirst(t, memDoc("d", "v2", body), "v1")
			fs := &failingStore{Store: mem}
			r, reg := clockRunner(t, fs, newFakeClock(trialStart.Add(3*monitor.Day)), 4)
			f := &recordingFetcher{doc: tc.doc}
			if err := r.Fetch(context.Background(), &monitor.Source{Name: "feed", Fetcher: f, Decoder: memSource("", "").Decoder}); err != nil {
				t.Fatal(err)
			}
			if got := fs.okItems.Load(); got != tc.wantSent {
				t.Errorf("%d incidents sent to the store, want %d", got, tc.wantSent)
			}
			if got := familySum(t, reg, "ceasefire_incidents_duplicate_total"); got != float64(tc.wantDup) {
				t.Errorf("%v duplicates, want %d", got, tc.wantDup)
			}
			if n, _ := mem.IncidentCount(context.Background()); n != tc.wantStored {
				t.Errorf("%d incidents stored, want %d", n, tc.wantStored)
			}
			cur, _ := mem.Cursors(context.Background(), "feed")
			if cur["d"] != tc.doc.Cursor {
				t.Errorf("cursor %q, want the document's own %q", cur["d"], tc.doc.Cursor)
			}
		})
	}
}

// TestFetcherSeesCursorBeforeProgress checks that a fetcher is given the
// cursor stored before an interrupted document, never the progress stored
// in its place.
func TestFetcherSeesCursorBeforeProgress(t *testing.T) {
	tests := []struct {
		name, prev string
		want       map[string]string
	}{
		{"first version of the document", "", map[string]string{}},
		{"later version", "v1", map[string]string{"d": "v1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := memDoc("d", "v2", spoolCSV(30))
			mem := interruptFirst(t, doc, tc.prev)
			stored, _ := mem.Cursors(context.Background(), "feed")
			if !strings.HasPrefix(stored["d"], "partial:") {
				t.Fatalf("stored cursor %q, want the progress of the interrupted document", stored["d"])
			}
			r, _ := clockRunner(t, mem, newFakeClock(trialStart.Add(3*monitor.Day)), 4)
			f := &recordingFetcher{doc: doc}
			if err := r.Fetch(context.Background(), &monitor.Source{Name: "feed", Fetcher: f, Decoder: memSource("", "").Decoder}); err != nil {
				t.Fatal(err)
			}
			if len(f.seen) != 1 || !maps.Equal(f.seen[0], tc.want) {
				t.Errorf("fetcher given %v, want %v", f.seen, tc.want)
			}
		})
	}
}

// TestIngestNeverResumes checks that Ingest, which replays files, reads a
// document stored in part from its start.
func TestIngestNeverResumes(t *testing.T) {
	doc := memDoc("d", "v2", spoolCSV(30))
	mem := interruptFirst(t, doc, "")
	r, _ := clockRunner(t, mem, newFakeClock(trialStart.Add(3*monitor.Day)), 4)
	st, err := r.Ingest(context.Background(), "feed", memSource("", "").Decoder, doc)
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != 0 || st.Duplicate != 4 || st.New != 22 || st.Rows != 30 {
		t.Errorf("stats %+v, want 30 rows, 4 duplicate, 22 new, none skipped", st)
	}
}
