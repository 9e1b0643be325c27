package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// serialStore fails the test when two commits overlap, and records the
// first incident id of each batch in the order they come.
type serialStore struct {
	monitor.Store
	t      *testing.T
	active atomic.Int32
	firsts []string // written by one commit at a time
}

func (s *serialStore) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	if s.active.Add(1) != 1 {
		s.t.Error("two commits at once")
	}
	defer s.active.Add(-1)
	time.Sleep(time.Millisecond) // long enough for the sink to build the next batch meanwhile
	if len(b.Items) > 0 {
		s.firsts = append(s.firsts, b.Items[0].Incident.ID)
	}
	return s.Store.Commit(ctx, b)
}

// TestCommitsBehindDecoding: full batches are committed in the background
// while the next is built, one at a time and in order, with the counts of
// a commit in the foreground (rejected rows included); when one fails,
// nothing after it is committed and Ingest returns its error.
func TestCommitsBehindDecoding(t *testing.T) {
	var body strings.Builder
	body.WriteString("id,time,lat,lon,category\n")
	for i := range 95 {
		lat := "0.5"
		if i%10 == 9 {
			lat = "north" // rejected: not a number
		}
		fmt.Fprintf(&body, "r%02d,2026-12-02T%02d:%02d:00Z,%s,0.5,shelling\n", i, i/60, i%60, lat)
	}
	ingest := func(s monitor.Store) (monitor.DocStats, error) {
		r := monitor.NewRunner(monitor.RunnerOptions{
			Store: s, BatchSize: 10, CommitBehind: true, Now: func() time.Time { return trialStart.AddDate(0, 0, 3) },
		})
		r.SetEvaluator(testEvaluator(t))
		src := memSource("reports", "")
		return r.Ingest(context.Background(), src.Name, src.Decoder, memDoc("d", "", body.String()))
	}

	t.Run("in order, one at a time", func(t *testing.T) {
		s := &serialStore{Store: store.NewMemory(), t: t}
		st, err := ingest(s)
		if err != nil {
			t.Fatal(err)
		}
		var want []string // the first of every ten accepted rows
		accepted := 0
		for i := range 95 {
			if i%10 != 9 {
				if accepted%10 == 0 {
					want = append(want, fmt.Sprintf("r%02d", i))
				}
				accepted++
			}
		}
		if got := strings.Join(s.firsts, " "); got != strings.Join(want, " ") {
			t.Errorf("batches began with %s, want %s", got, strings.Join(want, " "))
		}
		rejected := 0
		for _, n := range st.Rejected {
			rejected += n
		}
		if st.Rows != 95 || st.New != 86 || rejected != 9 || st.Violations != 86 {
			t.Errorf("stats %+v, want 95 rows, 86 new with a violation each, 9 rejected", st)
		}
	})

	t.Run("a failure stops what follows", func(t *testing.T) {
		errFull := errors.New("disk full")
		fs := &failingStore{Store: store.NewMemory(), fail: func(call int, _ *monitor.Batch) error {
			if call == 3 {
				return errFull
			}
			return nil
		}}
		st, err := ingest(fs)
		if !errors.Is(err, errFull) {
			t.Fatalf("Ingest: %v, want the third commit's error", err)
		}
		if n := fs.calls.Load(); n != 3 {
			t.Errorf("%d commits, want 3: none after the failed one", n)
		}
		if st.New != 20 || fs.okItems.Load() != 20 {
			t.Errorf("%d new, %d stored; want the 20 of the first two batches", st.New, fs.okItems.Load())
		}
	})
}
