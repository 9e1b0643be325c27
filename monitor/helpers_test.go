package monitor_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/store/storetest"
)

// fakeClock is the injected clock of the runner tests: Sleep moves Now
// forward at once and notes the wait, so that retries take no wall time.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	return ctx.Err()
}

// Waits returns the waits slept so far.
func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// clockRunner returns a runner on s with the test zones and trial whose
// time and waits come from c, with batches of batchSize incidents.
func clockRunner(t *testing.T, s monitor.Store, c *fakeClock, batchSize int) (*monitor.Runner, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	r := monitor.NewRunner(monitor.RunnerOptions{
		Store: s, Registerer: reg, Now: c.Now, Sleep: c.Sleep, BatchSize: batchSize,
	})
	if err := r.Restore(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.SetEvaluator(testEvaluator(t))
	return r, reg
}

// failingStore is a store whose Commit fails while fail says so, counting
// the calls and the items it was given.
type failingStore struct {
	monitor.Store
	fail    func(call int, b *monitor.Batch) error // nil: never
	calls   atomic.Int64
	items   atomic.Int64 // given to Commit
	okItems atomic.Int64 // given to Commit calls that did not fail
	storeMu sync.Mutex
}

func (f *failingStore) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	f.storeMu.Lock()
	defer f.storeMu.Unlock()
	n := int(f.calls.Add(1))
	f.items.Add(int64(len(b.Items)))
	if f.fail != nil {
		if err := f.fail(n, b); err != nil {
			return monitor.CommitResult{}, err
		}
	}
	f.okItems.Add(int64(len(b.Items)))
	return f.Store.Commit(ctx, b)
}

// errDiskFull stands for a passing store failure.
var errDiskFull = errors.New("database or disk is full")

// openDB opens a store in a fresh folder of t.
func openDB(t *testing.T) *store.DB {
	t.Helper()
	dir := t.TempDir()
	storetest.Seed(t, dir)
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// memDoc returns a document of body kept in memory.
func memDoc(key, cursor, body string) monitor.Document {
	return monitor.Document{Key: key, Cursor: cursor, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(body)), nil
	}}
}

// memSource returns a source of CSV reports (columns id, time, lat, lon,
// category) whose fetcher hands out docs once.
func memSource(name, schedule string, docs ...monitor.Document) *monitor.Source {
	dec, err := ingest.NewCSV(ingest.CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	if err != nil {
		panic(err)
	}
	return &monitor.Source{Name: name, Schedule: schedule, Fetcher: &docsFetcher{docs: docs}, Decoder: dec}
}

// sumRejected returns the sum of every ceasefire_incidents_rejected_total
// series of reg.
func sumRejected(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	return familySum(t, reg, "ceasefire_incidents_rejected_total")
}

// familySum returns the sum of the series of the counter family name.
func familySum(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// counterOf returns the series of the counter family name for source, for
// ToFloat64.
func counterOf(t *testing.T, reg *prometheus.Registry, name, source string) prometheus.Collector {
	t.Helper()
	v, ok := seriesValue(t, reg, name, source)
	if !ok {
		t.Fatalf("no series %s{source=%q}", name, source)
	}
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: "copy"}, func() float64 { return v })
}
