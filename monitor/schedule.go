package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// ParseSchedule parses a source schedule: five fields (minute hour
// day-of-month month day-of-week) or a descriptor such as "@hourly" or
// "@every 30s". Schedules run in UTC. An "@every" interval under one second
// (including zero and negative ones, which cron would silently round up) is
// an error. It is the one schedule parser: the configuration check, the
// scheduler and the metrics all use it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	return scheduleParser{}.Parse(spec)
}

// scheduleParser is ParseSchedule as a cron.ScheduleParser.
type scheduleParser struct{}

// Parse implements cron.ScheduleParser.
func (scheduleParser) Parse(spec string) (cron.Schedule, error) {
	fields := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	sch, err := fields.Parse(spec)
	if err != nil {
		return nil, err
	}
	if _, every := sch.(cron.ConstantDelaySchedule); every {
		_, text, _ := strings.Cut(spec, "@every ")
		if d, err := time.ParseDuration(text); err == nil && d < time.Second {
			return nil, fmt.Errorf("@every interval %s is shorter than one second", text)
		}
	}
	return sch, nil
}

// Scheduler runs each source's fetch on its cron schedule, in UTC. A run that
// is still going when the next is due is skipped; a panic in a run is
// recovered and logged. Apply replaces the whole schedule (reload).
type Scheduler struct {
	runner *Runner
	log    *slog.Logger
	ctx    context.Context // cancelled by Stop: aborts running fetches
	cancel context.CancelFunc

	mu      sync.Mutex
	cron    *cron.Cron
	stopped bool
	jobs    sync.WaitGroup // fetches in progress, scheduled or run now
}

// NewScheduler returns a scheduler that runs fetches with runner.
func NewScheduler(runner *Runner, logger *slog.Logger) *Scheduler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{runner: runner, log: logger, ctx: ctx, cancel: cancel}
}

// Apply parses every schedule first and, only if all parse, replaces the
// running schedule with one entry per source. The caller declares the
// sources to the runner (Runner.SetSources) first. With runNow, every source is
// also fetched once right away (in the background).
func (s *Scheduler) Apply(sources []*Source, runNow bool) error {
	logger := cronLogger{s.log}
	c := cron.New(
		cron.WithLocation(time.UTC),
		cron.WithParser(scheduleParser{}),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	var errs []error
	for _, src := range sources {
		if _, err := c.AddFunc(src.Schedule, s.job(src)); err != nil {
			errs = append(errs, fmt.Errorf("source %q: schedule %q: %w", src.Name, src.Schedule, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.mu.Lock()
	old := s.cron
	s.cron = c
	c.Start()
	s.mu.Unlock()
	if old != nil {
		old.Stop() // running jobs of the old schedule finish on their own
	}
	if runNow {
		for _, src := range sources {
			go s.job(src)()
		}
	}
	return nil
}

func (s *Scheduler) job(src *Source) func() {
	return func() {
		s.mu.Lock()
		if s.stopped {
			s.mu.Unlock()
			return
		}
		s.jobs.Add(1)
		s.mu.Unlock()
		defer s.jobs.Done()
		err := s.runner.Fetch(s.ctx, src)
		switch {
		case errors.Is(err, ErrBusy):
			s.log.Debug("fetch skipped", "feed", src.Name, "err", err)
		case err != nil && s.ctx.Err() == nil:
			s.log.Error("fetch", "feed", src.Name, "err", err)
		}
	}
}

// Stop stops scheduling, cancels the running fetches (an interrupted batch is
// rolled back and read again next time) and waits for them to return or ctx
// to end.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	c := s.cron
	s.stopped = true
	s.mu.Unlock()
	s.cancel()
	if c != nil {
		c.Stop()
	}
	done := make(chan struct{})
	go func() { s.jobs.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for running fetches: %w", ctx.Err())
	}
}

// cronLogger sends cron's messages to slog instead of stdout.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}

// scheduleInterval returns the time between the next two runs of spec after
// now, or 0 when spec does not parse.
func scheduleInterval(spec string, now time.Time) time.Duration {
	sch, err := ParseSchedule(spec)
	if err != nil {
		return 0
	}
	next := sch.Next(now.UTC())
	return sch.Next(next).Sub(next)
}
