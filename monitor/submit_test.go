package monitor_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

func TestSubmit(t *testing.T) {
	tests := []struct {
		name       string
		incs       []monitor.Incident
		rejected   map[monitor.RejectReason]int
		batchSize  int
		want       monitor.DocStats
		wantCommit int64
	}{
		{"nothing", nil, nil, 0, monitor.DocStats{}, 0},
		{"only rejects", nil, map[monitor.RejectReason]int{monitor.ReasonBadTime: 2}, 0,
			monitor.DocStats{Rows: 2, Rejected: map[monitor.RejectReason]int{monitor.ReasonBadTime: 2}}, 0},
		{"one violation and one not", []monitor.Incident{
			report("p1", 1, 0.5, 0.5, monitor.Shelling),
			report("p2", 1, 0.5, 0.5, monitor.AirStrike), // not prohibited
		}, nil, 0, monitor.DocStats{Rows: 2, New: 2, Violations: 1, Inside: 1}, 1},
		{"the shared edge violates in both zones", []monitor.Incident{report("p1", 1, 0.5, 1.0, monitor.Shelling)},
			nil, 0, monitor.DocStats{Rows: 1, New: 1, Violations: 2, Inside: 2}, 1},
		{"a repeat is a duplicate", []monitor.Incident{
			report("p1", 1, 0.5, 0.5, monitor.Shelling),
			report("p1", 1, 0.5, 0.5, monitor.Shelling),
		}, nil, 0, monitor.DocStats{Rows: 2, New: 1, Duplicate: 1, Violations: 1, Inside: 1}, 1},
		{"more than a batch is stored in several", []monitor.Incident{
			report("p1", 1, 0.5, 0.5, monitor.Shelling),
			report("p2", 1, 0.5, 0.5, monitor.Shelling),
			report("p3", 1, 5, 5, monitor.Shelling),
		}, nil, 2, monitor.DocStats{Rows: 3, New: 3, Violations: 2, Inside: 2}, 2},
		{"an impossible year is rejected, not stored", []monitor.Incident{
			{ID: "old", OccurredAt: time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), Lat: 0.5, Lon: 0.5, Category: monitor.Shelling},
		}, nil, 0, monitor.DocStats{Rows: 1, Rejected: map[monitor.RejectReason]int{monitor.ReasonBadTime: 1}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := &failingStore{Store: store.NewMemory()}
			c := newFakeClock(trialStart.Add(3 * monitor.Day))
			r, reg := clockRunner(t, fs, c, tc.batchSize)
			got, err := r.Submit(context.Background(), "field", tc.incs, tc.rejected)
			if err != nil {
				t.Fatal(err)
			}
			if got.RejectedTotal() != tc.want.RejectedTotal() {
				t.Errorf("rejected %v, want %v", got.Rejected, tc.want.Rejected)
			}
			got.Rejected, tc.want.Rejected = nil, nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("stats %+v, want %+v", got, tc.want)
			}
			if n := fs.calls.Load(); n != tc.wantCommit {
				t.Errorf("%d commits, want %d", n, tc.wantCommit)
			}
			if got := sumRejected(t, reg); got != float64(tc.want.Rows-tc.want.New-tc.want.Duplicate) {
				t.Errorf("rejected counter %v, want %d", got, tc.want.Rows-tc.want.New-tc.want.Duplicate)
			}
			st := r.Statuses()
			if len(st) != 1 || st[0].Name != "field" || !st[0].LastSuccess.Equal(c.Now()) || st[0].LastError != "" {
				t.Errorf("statuses %+v, want field succeeded now", st)
			}
		})
	}
}

func TestSubmitFailures(t *testing.T) {
	t.Run("no evaluator", func(t *testing.T) {
		r := monitor.NewRunner(monitor.RunnerOptions{Store: store.NewMemory()})
		if _, err := r.Submit(context.Background(), "field", []monitor.Incident{report("p", 1, 0.5, 0.5, monitor.Shelling)}, nil); err == nil ||
			!strings.Contains(err.Error(), "no zones and trials") {
			t.Errorf("error %v, want no zones and trials loaded", err)
		}
	})
	t.Run("store failure", func(t *testing.T) {
		fs := &failingStore{Store: store.NewMemory(), fail: func(int, *monitor.Batch) error { return errDiskFull }}
		c := newFakeClock(trialStart.Add(3 * monitor.Day))
		r, reg := clockRunner(t, fs, c, 0)
		_, err := r.Submit(context.Background(), "field", []monitor.Incident{report("p", 1, 0.5, 0.5, monitor.Shelling)},
			map[monitor.RejectReason]int{monitor.ReasonMissingID: 1})
		if !errors.Is(err, errDiskFull) {
			t.Fatalf("error %v, want the store's", err)
		}
		if n := fs.calls.Load(); n != 1 {
			t.Errorf("%d commits, want 1: a push has no schedule to retry within", n)
		}
		st := r.Statuses()
		if len(st) != 1 || !st[0].LastSuccess.IsZero() || !strings.Contains(st[0].LastError, "disk is full") {
			t.Errorf("statuses %+v, want the store error and no success", st)
		}
		if got := sumRejected(t, reg); got != 0 {
			t.Errorf("rejected counter %v, want 0: the sender will push them again", got)
		}
		if got := r.Tally().Count("freeze", "a", monitor.Shelling); got != 0 {
			t.Errorf("tally %d after a failed commit, want 0", got)
		}
	})
}

// TestSubmitHooks checks that OnViolations sees exactly the violations newly
// stored and OnRetractions those a revision withdrew.
func TestSubmitHooks(t *testing.T) {
	var mu sync.Mutex
	var stored, retracted []string
	note := func(dst *[]string) func([]monitor.Violation) {
		return func(vs []monitor.Violation) {
			mu.Lock()
			defer mu.Unlock()
			for _, v := range vs {
				*dst = append(*dst, v.IncidentID+"/"+v.ZoneID+"/"+string(v.Placement))
			}
		}
	}
	c := newFakeClock(trialStart.Add(3 * monitor.Day))
	r := monitor.NewRunner(monitor.RunnerOptions{
		Store: store.NewMemory(), Registerer: prometheus.NewRegistry(), Now: c.Now, Sleep: c.Sleep,
		OnViolations: note(&stored), OnRetractions: note(&retracted),
	})
	r.SetEvaluator(testEvaluator(t))
	ctx := context.Background()
	steps := []struct {
		name                      string
		incs                      []monitor.Incident
		wantStored, wantRetracted string
	}{
		{"new", []monitor.Incident{report("p1", 1, 0.5, 0.5, monitor.Shelling), report("p2", 1, 5, 5, monitor.Shelling)},
			"p1/a/inside", ""},
		{"same again", []monitor.Incident{report("p1", 1, 0.5, 0.5, monitor.Shelling)}, "", ""},
		{"p1 moves to b", []monitor.Incident{report("p1", 1, 0.5, 1.5, monitor.Shelling)}, "p1/b/inside", "p1/a/inside"},
		{"p2 moves into a", []monitor.Incident{report("p2", 1, 0.5, 0.5, monitor.Shelling)}, "p2/a/inside", ""},
		{"p1 becomes allowed", []monitor.Incident{report("p1", 1, 0.5, 1.5, monitor.AirStrike)}, "", "p1/b/inside"},
	}
	for _, st := range steps {
		stored, retracted = nil, nil
		if _, err := r.Submit(ctx, "field", st.incs, nil); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := strings.Join(stored, " "); got != st.wantStored {
			t.Errorf("%s: stored %q, want %q", st.name, got, st.wantStored)
		}
		if got := strings.Join(retracted, " "); got != st.wantRetracted {
			t.Errorf("%s: retracted %q, want %q", st.name, got, st.wantRetracted)
		}
	}
}
