package monitor_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// gateFetcher blocks each fetch until release is closed, signalling entered
// when one starts, and counts the calls.
type gateFetcher struct {
	entered chan struct{}
	release chan struct{}
	calls   atomic.Int32
}

func newGateFetcher() *gateFetcher {
	return &gateFetcher{entered: make(chan struct{}, 10), release: make(chan struct{})}
}

func (g *gateFetcher) Fetch(ctx context.Context, _ map[string]string) ([]monitor.Document, error) {
	g.calls.Add(1)
	g.entered <- struct{}{}
	select {
	case <-g.release:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// waitFor polls cond until it holds, failing t after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFetchBusyPerSource(t *testing.T) {
	r, reg := clockRunner(t, store.NewMemory(), newFakeClock(trialStart), 0)
	slow, other := newGateFetcher(), newGateFetcher()
	close(other.release)
	a := &monitor.Source{Name: "a", Fetcher: slow}
	b := &monitor.Source{Name: "b", Fetcher: other}
	r.SetSources([]*monitor.Source{a, b})
	done := make(chan error)
	go func() { done <- r.Fetch(context.Background(), a) }()
	<-slow.entered
	tests := []struct {
		name string
		src  *monitor.Source
		want error
	}{
		{"the same source is busy", a, monitor.ErrBusy},
		{"another source runs", b, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := r.Fetch(context.Background(), tc.src); !errors.Is(err, tc.want) {
				t.Errorf("Fetch = %v, want %v", err, tc.want)
			}
		})
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := r.Fetch(context.Background(), a); err != nil {
		t.Errorf("fetch after the slow one ended: %v", err)
	}
	// A skipped run is no fetch: neither counted nor recorded.
	if got := testutil.ToFloat64(counterOf(t, reg, "ceasefire_source_fetches_total", "a")); got != 2 {
		t.Errorf("fetches of a %v, want 2", got)
	}
}

// TestSchedulerSkipsWhileRunning runs a source now while its previous run
// still blocks: the second run is skipped and logged, not queued.
func TestSchedulerSkipsWhileRunning(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, reg := clockRunner(t, store.NewMemory(), newFakeClock(trialStart), 0)
	s := monitor.NewScheduler(r, log)
	g := newGateFetcher()
	src := &monitor.Source{Name: "slow", Schedule: "@every 1h", Fetcher: g}
	r.SetSources([]*monitor.Source{src})
	if err := s.Apply([]*monitor.Source{src}, true); err != nil {
		t.Fatal(err)
	}
	<-g.entered
	if err := s.Apply([]*monitor.Source{src}, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the skip to be logged", func() bool { return strings.Contains(logs.String(), "fetch skipped") })
	close(g.release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if n := g.calls.Load(); n != 1 {
		t.Errorf("%d calls of the fetcher, want 1", n)
	}
	if got := testutil.ToFloat64(counterOf(t, reg, "ceasefire_source_fetches_total", "slow")); got != 1 {
		t.Errorf("fetches counted %v, want 1", got)
	}
	if !strings.Contains(logs.String(), "previous run still in progress") {
		t.Errorf("skip logged without its reason:\n%s", logs.String())
	}
}

// TestSchedulerStopCancelsRunningFetch checks that Stop ends a fetch in
// progress through its context and waits for it.
func TestSchedulerStopCancelsRunningFetch(t *testing.T) {
	r, _ := clockRunner(t, store.NewMemory(), newFakeClock(trialStart), 0)
	s := monitor.NewScheduler(r, nil)
	g := newGateFetcher() // never released: only the context ends it
	src := &monitor.Source{Name: "stuck", Schedule: "@every 1h", Fetcher: g}
	r.SetSources([]*monitor.Source{src})
	if err := s.Apply([]*monitor.Source{src}, true); err != nil {
		t.Fatal(err)
	}
	<-g.entered
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	st := r.Statuses()
	if len(st) != 1 || !strings.Contains(st[0].LastError, "context canceled") {
		t.Errorf("statuses %+v, want the fetch ended by cancellation", st)
	}
	// A stopped scheduler runs nothing more, even when asked to.
	if err := s.Apply([]*monitor.Source{src}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if g.calls.Load() != 1 {
		t.Errorf("%d fetches, want none after Stop", g.calls.Load())
	}
}
