package monitor_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

func TestAdmitFuture(t *testing.T) {
	now := trialStart.Add(2*monitor.Day + time.Hour)
	r := newRunner(t, store.NewMemory(), nil, now)
	ev := r.Evaluator()
	tests := []struct {
		name string
		ev   *monitor.Evaluator
		at   time.Time
		want monitor.RejectReason
	}{
		{"now", ev, now, ""},
		{"the last instant of the default skew", ev, now.Add(monitor.DefaultMaxFutureSkew), ""},
		{"just past the default skew", ev, now.Add(monitor.DefaultMaxFutureSkew + time.Nanosecond), monitor.ReasonFuture},
		{"tomorrow", ev, now.Add(monitor.Day), monitor.ReasonFuture},
		{"zero skew: now", ev.WithLimits(monitor.Limits{}), now, ""},
		{"zero skew: a second later", ev.WithLimits(monitor.Limits{}), now.Add(time.Second), monitor.ReasonFuture},
		{"an hour's skew allowed", ev.WithLimits(monitor.Limits{MaxFutureSkew: time.Hour}), now.Add(time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reason, err := tt.ev.Admit(&monitor.Incident{OccurredAt: tt.at}, now)
			if reason != tt.want || (reason == "") != (err == nil) {
				t.Errorf("Admit(%s) = %q, %v; want %q", tt.at, reason, err, tt.want)
			}
		})
	}
	if ev.Limits().MaxFutureSkew != monitor.DefaultMaxFutureSkew {
		t.Errorf("WithLimits changed the evaluator it was called on: %+v", ev.Limits())
	}
}

// A report dated tomorrow must not become a violation on a day that has not
// happened, nor move the last violation time into the future.
func TestSubmitRejectsFuture(t *testing.T) {
	now := trialStart.Add(2*monitor.Day + time.Hour)
	mem := store.NewMemory()
	r := newRunner(t, mem, prometheus.NewRegistry(), now)
	incs := []monitor.Incident{
		{ID: "today", OccurredAt: now.Add(-time.Hour), Lon: 0.5, Lat: 0.5, Category: monitor.Shelling},
		{ID: "tomorrow", OccurredAt: now.Add(monitor.Day), Lon: 0.5, Lat: 0.5, Category: monitor.Shelling},
	}
	st, err := r.Submit(context.Background(), "field", incs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.New != 1 || st.Rejected[monitor.ReasonFuture] != 1 || st.Violations != 1 {
		t.Errorf("stats %+v, want 1 new, 1 future, 1 violation", st)
	}
	if last := r.Tally().LastViolation("freeze", "a"); !last.Equal(now.Add(-time.Hour)) {
		t.Errorf("last violation %s, want %s", last, now.Add(-time.Hour))
	}
	if days := r.Tally().Zone("freeze", "a").ViolationDays; len(days) != 1 || days[0] != 2 {
		t.Errorf("violation days %v on trial day 2, want [2]", days)
	}
}

func TestSubmitCutShort(t *testing.T) {
	now := trialStart.Add(2 * monitor.Day)
	mem := store.NewMemory()
	r := newRunner(t, mem, prometheus.NewRegistry(), now)
	incs := make([]monitor.Incident, 5)
	for i := range incs {
		incs[i] = monitor.Incident{ID: string(rune('a' + i)), OccurredAt: now.Add(-time.Hour), Lon: 0.5, Lat: 0.5, Category: monitor.Shelling}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := r.Submit(ctx, "field", incs, nil)
	var cut *monitor.CutShortError
	if !errors.As(err, &cut) || cut.Done != 0 || cut.Total != 5 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Submit on an ended context: %v, want a CutShortError after 0 of 5", err)
	}
	if st.New != 0 || r.Tally().Count("freeze", "a", monitor.Shelling) != 0 {
		t.Errorf("stats %+v after a cut-short submission, want nothing stored", st)
	}
}
