package alerts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxErrorBody is how much of an error response is kept for the log.
const maxErrorBody = 512

// permanentError is a 4xx answer: the same request would fail again, so
// it is not retried.
type permanentError struct {
	status int
	body   string
}

func (e *permanentError) Error() string {
	return fmt.Sprintf("status %d: %s", e.status, e.body)
}

// deliver posts one batch to t, counts the outcome in t's series and logs a
// failure, unless ctx was cancelled (shutdown), which is neither counted
// nor logged. It returns nil on any 2xx, a *permanentError on a 4xx and
// another error on a network error, timeout or other status.
func (s *Sender) deliver(ctx context.Context, t *target, batch []Alert) error {
	err := s.post(ctx, t.endpoint, batch)
	switch {
	case err == nil:
		t.sent.Add(float64(len(batch)))
	case ctx.Err() != nil:
	default:
		t.failures.Add(float64(len(batch)))
		msg := "send alerts, will be re-sent"
		var perm *permanentError
		if errors.As(err, &perm) {
			msg = "send alerts, rejected and not retried"
		}
		s.logger.Error(msg, "alertmanager", t.label, "alerts", len(batch), "err", err)
	}
	return err
}

// post sends batch to endpoint as one JSON request bounded by s.timeout.
// Errors never quote the endpoint, which may carry a password.
func (s *Sender) post(ctx context.Context, endpoint string, batch []Alert) error {
	body, err := encodeAlerts(batch)
	if err != nil {
		return fmt.Errorf("encode alerts: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("post alerts: %w", unwrapURLError(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code >= 400 && code < 500:
		return &permanentError{status: code, body: strings.TrimSpace(string(snippet))}
	default:
		return fmt.Errorf("status %d: %s", code, strings.TrimSpace(string(snippet)))
	}
}

// unwrapURLError strips the *url.Error wrapper, whose message repeats the
// endpoint; the caller logs the Alertmanager's label instead.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
