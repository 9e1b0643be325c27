package monitor

import (
	"context"
	"errors"
	"time"
)

// Transient marks err as a failure worth trying again: a network error, a
// 5xx or 429 status, a body cut short. after is the wait the peer asked for
// (an HTTP Retry-After); 0 or less means none was given. Fetchers return
// every other error unmarked, and the runner never retries those (a 4xx
// other than 429, an undecodable answer). Transient(nil, d) is nil.
func Transient(err error, after time.Duration) error {
	if err == nil {
		return nil
	}
	return &transientError{err: err, after: after}
}

type transientError struct {
	err   error
	after time.Duration
}

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// IsTransient reports whether err, or an error it wraps, was marked by
// Transient, and the wait the peer asked for (0 when none).
func IsTransient(err error) (after time.Duration, ok bool) {
	var te *transientError
	if !errors.As(err, &te) {
		return 0, false
	}
	return max(te.after, 0), true
}

// ErrInvalidBatch is wrapped by the errors of Store.Commit for a batch that
// can never be stored (an incident without id, a time out of range), so
// that the runner does not try it again.
var ErrInvalidBatch = errors.New("invalid batch")

// Retry policy, shared by fetches and commits.
const (
	// RetryAttempts is the most tries of one fetch or one commit.
	RetryAttempts = 3
	// MaxRetryAfter is the longest wait a peer may ask for (Retry-After)
	// that is honoured; asking for more fails the fetch at once.
	MaxRetryAfter = 2 * time.Minute
)

// retrier decides, for one operation, whether a failure is tried again and
// after how long: at most RetryAttempts tries in all, the first retry after
// backoff (or after the wait the peer asked for), each further one after
// twice the previous backoff, and no wait that ends past deadline.
type retrier struct {
	tries    int
	backoff  time.Duration
	deadline time.Time
	now      func() time.Time
}

// newRetrier returns the retrier of one operation that starts now and may
// retry for window (half the source's schedule interval; 0: never).
func (r *Runner) newRetrier(window time.Duration) *retrier {
	return &retrier{tries: 1, backoff: r.o.RetryBackoff, deadline: r.o.Now().Add(window), now: r.o.Now}
}

// next returns the wait before trying again after a failure that the caller
// found retryable, with the wait its peer asked for (0: none), and false
// when the policy says to give up.
func (rt *retrier) next(after time.Duration) (time.Duration, bool) {
	if rt.tries >= RetryAttempts || after > MaxRetryAfter {
		return 0, false
	}
	wait := rt.backoff
	if after > 0 {
		wait = after
	}
	if rt.now().Add(wait).After(rt.deadline) {
		return 0, false
	}
	rt.tries++
	rt.backoff *= 2
	return wait, true
}

// retry runs op until it succeeds, fails in a way retryable rejects, the
// retrier gives up or ctx ends. retryable returns whether an error may be
// tried again and the wait its peer asked for. Each retry is logged with
// what (such as "fetch") and the source's name.
func (r *Runner) retry(ctx context.Context, rt *retrier, what, source string,
	retryable func(error) (time.Duration, bool), op func() error) error {
	for {
		err := op()
		if err == nil || ctx.Err() != nil {
			return err
		}
		after, ok := retryable(err)
		if !ok {
			return err
		}
		wait, ok := rt.next(after)
		if !ok {
			return err
		}
		r.log.Warn(what+" failed, retrying", "feed", source, "attempt", rt.tries-1, "retry_in", wait, "err", err)
		if werr := r.o.Sleep(ctx, wait); werr != nil {
			return err
		}
	}
}

// fetchRetryable lets a fetch be tried again only after a failure its
// fetcher marked Transient.
func fetchRetryable(err error) (time.Duration, bool) { return IsTransient(err) }

// commitRetryable lets a commit be tried again after any failure but an
// invalid batch or the end of its context: the store is local, and its
// failures (a full disk, a locked or unreadable file) are mostly passing.
func commitRetryable(err error) (time.Duration, bool) {
	if errors.Is(err, ErrInvalidBatch) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	return 0, true
}

// sleepCtx waits for d or until ctx ends, returning ctx's error then.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
