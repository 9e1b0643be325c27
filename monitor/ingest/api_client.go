package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Retry policy of the paging API fetchers.
const (
	apiRetries      = 3               // retries of one page after the first attempt
	apiBackoff      = time.Second     // wait before the first retry; doubles after each
	apiMaxRetryWait = 2 * time.Minute // longest Retry-After that is waited for
	apiMinRetryWait = 10 * time.Millisecond
)

// apiClient sends the GET requests of one fetch of a paging JSON API. A page
// is retried on a network error, a body cut short and a 5xx status with
// exponential backoff, and on 429 after the server's Retry-After. Its
// errors name the document key and the page, never a URL or a credential.
type apiClient struct {
	key       string // document key, names the source in errors
	client    *http.Client
	timeout   time.Duration // per request, including the body
	userAgent string
	header    http.Header // sent with every request (credentials)
	secrets   []string    // removed from every error message
	// backoff is the wait before the first retry; tests shorten it.
	backoff time.Duration
	// maxWait is the longest Retry-After honoured; a longer one fails the
	// page at once.
	maxWait time.Duration
	// wait pauses for d or until ctx is done; tests replace it to record
	// the waits instead of sleeping.
	wait func(ctx context.Context, d time.Duration) error
	now  func() time.Time // reads Retry-After dates
}

// newAPIClient returns a client with the package's retry policy that sends
// its requests as t says (zero fields take their defaults). Empty secrets
// are ignored.
func newAPIClient(key string, t Transport, secrets ...string) *apiClient {
	t = t.withDefaults()
	c := &apiClient{
		key: key, client: t.Client, timeout: t.Timeout, userAgent: t.UserAgent, header: http.Header{},
		backoff: apiBackoff, maxWait: apiMaxRetryWait, wait: sleepCtx, now: time.Now,
	}
	for _, s := range secrets {
		if s != "" {
			c.secrets = append(c.secrets, s, url.QueryEscape(s), url.PathEscape(s))
		}
	}
	c.client = c.guardRedirects(t.Client)
	return c
}

// guardRedirects returns a copy of client that drops c.header (the
// credentials) from a request redirected to another host: net/http keeps
// such custom headers on every redirect. The client's own redirect policy,
// or the default of at most 10 redirects, still applies.
func (c *apiClient) guardRedirects(client *http.Client) *http.Client {
	cp := *client
	check := client.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host {
			for k := range c.header {
				req.Header.Del(k)
			}
		}
		if check != nil {
			return check(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// budget is what is left of a fetch's byte limit.
type budget struct {
	left, limit int64
}

// get fetches u and returns its body, charged to b. page names the request
// in errors.
func (c *apiClient) get(ctx context.Context, u *url.URL, page string, b *budget) ([]byte, error) {
	delay := c.backoff
	for attempt := 0; ; attempt++ {
		body, retry, after, err := c.try(ctx, u, b)
		if err == nil {
			return body, nil
		}
		if !retry || attempt >= apiRetries || ctx.Err() != nil {
			if attempt == 0 {
				return nil, c.errorf("%s: %w", page, err)
			}
			return nil, c.errorf("%s: %w (after %d attempts)", page, err, attempt+1)
		}
		w := delay
		if after >= 0 {
			if after > c.maxWait {
				return nil, c.errorf("%s: %w; Retry-After %s exceeds %s", page, err, after, c.maxWait)
			}
			w = max(after, apiMinRetryWait)
		}
		if werr := c.wait(ctx, w); werr != nil {
			return nil, c.errorf("%s: %w (while waiting to retry after: %v)", page, werr, err)
		}
		delay *= 2
	}
}

// try sends one request. It reports whether a failure may be retried and,
// for a 429 with a readable Retry-After, after which wait (-1 otherwise).
func (c *apiClient) try(ctx context.Context, u *url.URL, b *budget) (body []byte, retry bool, after time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false, -1, hideURL(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, true, -1, hideURL(err)
	}
	defer resp.Body.Close()
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		return nil, true, retryAfter(resp.Header.Get("Retry-After"), c.now()), fmt.Errorf("HTTP status %s", resp.Status)
	case s >= 500:
		return nil, true, -1, fmt.Errorf("HTTP status %s", resp.Status)
	case s < 200 || s > 299:
		return nil, false, -1, fmt.Errorf("HTTP status %s", resp.Status)
	}
	body, err = readBodyLimit(resp, b.left)
	if errors.Is(err, errBodyTooLarge) {
		return nil, false, -1, fmt.Errorf("the pages exceed the limit of %d bytes together: %w", b.limit, errBodyTooLarge)
	}
	if err != nil {
		return nil, true, -1, hideURL(err)
	}
	b.left -= int64(len(body))
	return body, false, -1, nil
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date,
// relative to now. It returns -1 when the header is absent or unreadable,
// and 0 for a date in the past.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return -1
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n < 0 || n > int64(24*time.Hour/time.Second) {
			return -1
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}

// errorf formats an error naming the document key, with every secret
// replaced by "***". The result still wraps the cause, for errors.Is.
func (c *apiClient) errorf(format string, args ...any) error {
	err := fmt.Errorf("fetch %s: "+format, append([]any{c.key}, args...)...)
	return &redactedError{msg: redact(err.Error(), c.secrets), err: err}
}

// redact replaces each secret in s by "***".
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return s
}

// redactedError is an error whose message had credentials removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// sleepCtx waits for d or until ctx is done, returning ctx's error then.
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
