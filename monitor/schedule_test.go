package monitor_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// panicFetcher panics on its first call and counts the others.
type panicFetcher struct{ calls atomic.Int32 }

func (p *panicFetcher) Fetch(context.Context, map[string]string) ([]monitor.Document, error) {
	if p.calls.Add(1) == 1 {
		panic("feed exploded")
	}
	return nil, nil
}

// TestSchedulerRecoversAndLogsToSlog: a fetch that panics is recovered and
// logged through slog (not stdout), and the source keeps being fetched on
// its schedule; Stop waits for the running fetch.
func TestSchedulerRecoversAndLogsToSlog(t *testing.T) {
	t.Parallel() // waits on a one-second schedule; runs beside the other tests
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r := newRunner(t, store.NewMemory(), prometheus.NewRegistry(), trialStart)
	s := monitor.NewScheduler(r, log)
	f := &panicFetcher{}
	src := &monitor.Source{Name: "fragile", Schedule: "@every 1s", Fetcher: f}
	r.SetSources([]*monitor.Source{src})
	if err := s.Apply([]*monitor.Source{src}, true); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.calls.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.calls.Load(); n < 3 {
		t.Fatalf("%d fetches after a panic, want the schedule to go on (>= 3)", n)
	}
	if !strings.Contains(logs.String(), "feed exploded") {
		t.Errorf("panic not logged through slog:\n%s", logs.String())
	}
	after := f.calls.Load()
	time.Sleep(1500 * time.Millisecond)
	if f.calls.Load() != after {
		t.Error("fetches went on after Stop")
	}
}

func TestSchedulerRejectsBadSpec(t *testing.T) {
	r := newRunner(t, store.NewMemory(), prometheus.NewRegistry(), trialStart)
	s := monitor.NewScheduler(r, nil)
	err := s.Apply([]*monitor.Source{{Name: "x", Schedule: "every tuesday"}}, false)
	if err == nil || !strings.Contains(err.Error(), `source "x": schedule "every tuesday"`) {
		t.Fatalf("err = %v", err)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
