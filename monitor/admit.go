package monitor

import (
	"context"
	"fmt"
	"time"
)

// DefaultMaxFutureSkew is the Limits.MaxFutureSkew of an evaluator built
// without WithLimits.
const DefaultMaxFutureSkew = 10 * time.Minute

// Limits bound what an evaluator admits, whatever the source.
type Limits struct {
	// MaxFutureSkew is how far past now an incident's event time may lie,
	// to allow for clocks that run a little fast; an incident later than
	// that is rejected as ReasonFuture. 0 rejects anything after now.
	MaxFutureSkew time.Duration
}

// WithLimits returns an evaluator like e that admits incidents by l. e is
// left unchanged.
func (e *Evaluator) WithLimits(l Limits) *Evaluator {
	c := *e
	c.limits = l
	return &c
}

// Limits returns the limits e admits incidents by.
func (e *Evaluator) Limits() Limits { return e.limits }

// Admit returns an empty reason when inc may be evaluated at now, else the
// reason it is rejected and an error that says why. An event exactly at
// now + MaxFutureSkew is admitted.
func (e *Evaluator) Admit(inc *Incident, now time.Time) (RejectReason, error) {
	if limit := now.Add(e.limits.MaxFutureSkew); inc.OccurredAt.After(limit) {
		return ReasonFuture, fmt.Errorf("event time %s is later than now (%s) plus %s",
			inc.OccurredAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339), e.limits.MaxFutureSkew)
	}
	return "", nil
}

// Admit is Evaluator.Admit with the current evaluator and the runner's
// clock, for callers that validate incidents before Submit and answer for
// each (a push endpoint). Without an evaluator everything is admitted; Submit
// then fails.
func (r *Runner) Admit(inc *Incident) (RejectReason, error) {
	ev := r.evaluator.Load()
	if ev == nil {
		return "", nil
	}
	return ev.Admit(inc, r.o.Now())
}

// CutShortError is returned by Submit when its context ended while the
// incidents were being evaluated: Done of Total were evaluated, and nothing
// was stored.
type CutShortError struct {
	Done, Total int
	Err         error // the context's error
}

// Error implements error.
func (e *CutShortError) Error() string {
	return fmt.Sprintf("evaluation cut short after %d of %d incidents, nothing stored: %v", e.Done, e.Total, e.Err)
}

// Unwrap returns the context's error.
func (e *CutShortError) Unwrap() error { return e.Err }

// evaluationDeadline returns a *CutShortError when ctx has ended before
// incident done of total is evaluated, else nil.
func evaluationDeadline(ctx context.Context, done, total int) error {
	if err := ctx.Err(); err != nil {
		return &CutShortError{Done: done, Total: total, Err: err}
	}
	return nil
}
