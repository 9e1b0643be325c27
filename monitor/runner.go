package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Source is one configured feed, ready to run: where its documents come from
// and how they are read.
type Source struct {
	Name     string
	Schedule string // cron spec, UTC
	Fetcher  Fetcher
	Decoder  Decoder
}

// RunnerOptions configure a Runner.
type RunnerOptions struct {
	Store      Store
	Logger     *slog.Logger          // nil: discard
	Registerer prometheus.Registerer // nil: not registered
	Now        func() time.Time      // nil: time.Now
	// OnViolations is called after each commit with the violations it newly
	// stored, from the goroutine that ran the fetch.
	OnViolations func([]Violation)
	// OnRetractions is called after each commit with the violations it
	// retracted (revised or deleted incidents), likewise.
	OnRetractions func([]Violation)
	// OnPromotions is called after each commit with the violations stored
	// before that the commit's incidents corroborated (Tier set),
	// likewise.
	OnPromotions func([]Violation)
	// Sleep waits for d or until ctx ends, returning ctx's error then; nil
	// means a timer. Tests replace it, with Now, to retry without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	// RetryBackoff is the wait before the first retry of a failed fetch or
	// commit; each further retry waits twice as long. Only failures a
	// fetcher marks Transient are retried, and every failed commit but an
	// invalid batch. An operation is tried at most RetryAttempts times,
	// and never past half the source's schedule interval, so that retries
	// end before the next scheduled run; a source without a schedule is
	// not retried. Default 1s.
	RetryBackoff time.Duration
	// BatchSize is the number of incidents stored per transaction; a
	// document larger than that is stored in several transactions, its
	// cursor with the last one and its progress with each other, so that
	// after a crash it resumes after the last stored batch (see Ingest).
	// Default 20000.
	BatchSize int
	// CommitBehind commits each full batch of a document in the background
	// while the next is built, one commit at a time and in order. It pays
	// when a commit costs about what building a batch does, as in a dry
	// run (a tenth more rows/s); a stored replay, whose commits need the
	// other core for their own helpers and memory, was slower with it.
	CommitBehind bool
	// NoTally keeps the live violation aggregates (Tally, the per-trial
	// series) out of ingestion: commits do not update them. For a one-off
	// replay, whose aggregates nobody reads; a daemon must leave it false.
	NoTally bool
}

// Runner fetches sources, evaluates their incidents and stores the result.
// The evaluator can be swapped at any time (reload); a fetch uses the one
// current when each incident is evaluated. Safe for concurrent use; two runs
// of the same source never overlap (the second is skipped).
type Runner struct {
	o         RunnerOptions
	log       *slog.Logger
	metrics   *sourceMetrics
	tally     *Tally
	evaluator atomic.Pointer[Evaluator]
	commitMu  sync.Mutex     // orders commits with the tally updates that follow them
	judging   *corroboration // nil: not judging; guarded by commitMu

	mu      sync.Mutex
	running map[string]bool
	status  map[string]*SourceStatus
}

// SourceStatus is what the landing page shows of a source.
type SourceStatus struct {
	Name        string
	LastRun     time.Time
	LastSuccess time.Time
	LastError   string
}

// NewRunner returns a runner with an empty tally; call Restore before the
// first fetch.
func NewRunner(o RunnerOptions) *Runner {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = time.Second
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 20000
	}
	reg := o.Registerer
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	r := &Runner{
		o: o, log: o.Logger, tally: NewTally(),
		running: map[string]bool{}, status: map[string]*SourceStatus{},
	}
	r.metrics = newSourceMetrics(reg)
	reg.MustRegister(newTrialCollector(r.evaluator.Load, r.tally, o.Now))
	return r
}

// Restore loads the violation aggregates from the store.
func (r *Runner) Restore(ctx context.Context) error {
	if err := r.tally.Restore(ctx, r.o.Store); err != nil {
		return fmt.Errorf("restore violation totals: %w", err)
	}
	return nil
}

// SetEvaluator swaps in the evaluator built from a (re)loaded config.
func (r *Runner) SetEvaluator(e *Evaluator) { r.evaluator.Store(e) }

// Evaluator returns the current evaluator.
func (r *Runner) Evaluator() *Evaluator { return r.evaluator.Load() }

// Tally returns the live violation aggregates.
func (r *Runner) Tally() *Tally { return r.tally }

// SetSources makes the per-source series exist for sources and removes the
// status and series of sources no longer configured. A source without a
// schedule (pushed over HTTP) has no interval series, so that staleness
// rules leave it alone.
func (r *Runner) SetSources(sources []*Source) {
	keep := map[string]bool{}
	for _, s := range sources {
		keep[s.Name] = true
		r.metrics.init(s.Name, scheduleInterval(s.Schedule, r.o.Now()))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for name := range r.status {
		if !keep[name] {
			delete(r.status, name)
			r.metrics.forget(name)
		}
	}
	for name := range keep {
		if r.status[name] == nil {
			r.status[name] = &SourceStatus{Name: name}
		}
	}
}

// Statuses returns the status of every known source, by name.
func (r *Runner) Statuses() []SourceStatus {
	r.mu.Lock()
	out := make([]SourceStatus, 0, len(r.status))
	for _, s := range r.status {
		out = append(out, *s)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ErrBusy is returned by Fetch when the previous run of the source has not
// finished.
var ErrBusy = errors.New("previous run still in progress")

// Fetch runs one fetch of src: every new or changed document is decoded,
// evaluated and stored. A failing document stops the run; documents stored
// before it stay stored.
func (r *Runner) Fetch(ctx context.Context, src *Source) error {
	if !r.begin(src.Name) {
		return ErrBusy
	}
	defer r.end(src.Name)
	start := r.o.Now()
	r.metrics.fetches.WithLabelValues(src.Name).Inc()
	err := r.fetchRecovered(ctx, src)
	r.metrics.duration.WithLabelValues(src.Name).Observe(time.Since(start).Seconds())
	r.recordRun(src.Name, start, err)
	r.recordAttempt(ctx, src.Name, err == nil)
	if err != nil {
		r.metrics.failures.WithLabelValues(src.Name).Inc()
	}
	return err
}

// recordRun notes the outcome of a fetch or submission of source that
// started at start.
func (r *Runner) recordRun(source string, start time.Time, err error) {
	r.mu.Lock()
	st := r.status[source]
	if st == nil {
		st = &SourceStatus{Name: source}
		r.status[source] = st
	}
	st.LastRun = start
	if err != nil {
		st.LastError = err.Error()
	} else {
		st.LastSuccess, st.LastError = r.o.Now(), ""
	}
	r.mu.Unlock()
	if err == nil {
		r.metrics.lastSuccess.WithLabelValues(source).Set(float64(r.o.Now().UnixNano()) / 1e9)
	}
}

func (r *Runner) begin(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[name] {
		return false
	}
	r.running[name] = true
	return true
}

func (r *Runner) end(name string) {
	r.mu.Lock()
	delete(r.running, name)
	r.mu.Unlock()
}

// fetchRecovered is fetch with a panic in a fetcher or decoder turned into
// an error, so that one broken feed is counted and logged as a failure
// instead of taking the daemon down.
func (r *Runner) fetchRecovered(ctx context.Context, src *Source) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in fetch of %s: %v\n%s", src.Name, p, debug.Stack())
		}
	}()
	return r.fetch(ctx, src)
}

func (r *Runner) fetch(ctx context.Context, src *Source) error {
	stored, err := r.o.Store.Cursors(ctx, src.Name)
	if err != nil {
		return fmt.Errorf("read cursors: %w", err)
	}
	cursors, partial := splitProgress(stored)
	docs, err := r.fetchWithRetries(ctx, src, cursors)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		o := ingestOptions{retryWindow: r.retryWindow(src.Schedule), prev: cursors[doc.Key]}
		if p, ok := partial[doc.Key]; ok {
			o.resume = &p
		}
		st, err := r.ingest(ctx, src.Name, src.Decoder, doc, o)
		if err != nil {
			return err
		}
		r.log.Info("ingested", "feed", src.Name, "document", doc.Key, "rows", st.Rows, "skipped", st.Skipped,
			"new", st.New, "duplicate", st.Duplicate, "rejected", st.RejectedTotal(), "violations", st.Violations)
	}
	return nil
}

// fetchWithRetries asks the fetcher for changed documents, retrying as
// RunnerOptions.RetryBackoff says.
func (r *Runner) fetchWithRetries(ctx context.Context, src *Source, cursors map[string]string) ([]Document, error) {
	var docs []Document
	rt := r.newRetrier(r.retryWindow(src.Schedule))
	err := r.retry(ctx, rt, "fetch", src.Name, fetchRetryable, func() error {
		var err error
		docs, err = src.Fetcher.Fetch(ctx, cursors)
		return err
	})
	return docs, err
}

// retryWindow returns how long failures of a source with schedule may be
// retried: half its interval, 0 without a schedule.
func (r *Runner) retryWindow(schedule string) time.Duration {
	return scheduleInterval(schedule, r.o.Now()) / 2
}
