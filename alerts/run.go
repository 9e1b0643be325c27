package alerts

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Run sends queued alerts, one goroutine per Alertmanager, until ctx is
// done; it then cancels requests in flight, puts their alerts back at the
// front of their queues for Drain, and returns once every goroutine has
// stopped. Alertmanagers added by ApplyConfig while Run runs start at once.
// Run must not be called again until it has returned; a concurrent second
// call returns immediately.
func (s *Sender) Run(ctx context.Context) {
	s.mu.Lock()
	if s.runCtx != nil {
		s.mu.Unlock()
		s.logger.Error("alert sender already running")
		return
	}
	done := make(chan struct{})
	s.runCtx, s.runDone = ctx, done
	for _, t := range s.targets {
		s.start(ctx, t)
	}
	s.mu.Unlock()

	<-ctx.Done()

	s.mu.Lock()
	s.runCtx = nil
	for _, t := range s.targets {
		t.stop = nil
	}
	s.mu.Unlock()
	s.loops.Wait()
	close(done)
}

// start runs t's loop under a context of its own, so that ApplyConfig can
// stop it alone. The caller holds s.mu and s.runCtx is set.
func (s *Sender) start(ctx context.Context, t *target) {
	ctx, cancel := context.WithCancel(ctx)
	t.stop = cancel
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		defer cancel()
		s.loop(ctx, t)
	}()
}

// loop sends t's queue in batches as alerts arrive until ctx is done.
// Failures are logged and counted by deliver and not retried: the next
// resend carries the same alerts again.
func (s *Sender) loop(ctx context.Context, t *target) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.queue.more:
		}
		for {
			batch := t.queue.take(s.maxBatch)
			if len(batch) == 0 {
				break
			}
			if err := s.deliver(ctx, t, batch); err != nil && ctx.Err() != nil {
				t.queue.unshift(batch)
				return
			}
		}
	}
}

// Drain sends everything still queued, every Alertmanager in parallel,
// until the queues are empty or ctx is done. It is meant for shutdown: it
// first waits for a running Run to return (so cancel Run's context
// first). An Alertmanager that answers a batch with a network error or a
// 5xx status is given up, keeping its remaining alerts; a 4xx drops only
// that batch. Drain returns nil when every queue was emptied, otherwise an
// error per Alertmanager naming how many alerts were left. Send may still
// be called during Drain; what it adds may or may not be drained.
func (s *Sender) Drain(ctx context.Context) error {
	s.mu.Lock()
	done := s.runDone
	s.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-ctx.Done():
			return fmt.Errorf("drain alerts: sender still running: %w", ctx.Err())
		}
	}

	s.mu.Lock()
	targets := make([]*target, 0, len(s.targets))
	for _, t := range s.targets {
		targets = append(targets, t)
	}
	s.mu.Unlock()

	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { errs[i] = s.drainOne(ctx, t) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// drainOne empties t's queue; see Drain.
func (s *Sender) drainOne(ctx context.Context, t *target) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("drain alertmanager %s: %d alerts left: %w", t.label, t.queue.len(), err)
		}
		batch := t.queue.take(s.maxBatch)
		if len(batch) == 0 {
			return nil
		}
		err := s.deliver(ctx, t, batch)
		var perm *permanentError
		if err == nil || errors.As(err, &perm) {
			continue
		}
		t.queue.unshift(batch)
		return fmt.Errorf("drain alertmanager %s: %d alerts left: %w", t.label, t.queue.len(), err)
	}
}
