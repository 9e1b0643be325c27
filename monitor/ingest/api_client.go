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

	"github.com/ceasefired/ceasefired/monitor"
)

// apiClient sends the GET requests of one fetch of a paging JSON API. It
// tries each page once: a failure worth trying again (a network error, a
// body cut short, a 5xx or 429 status, with its Retry-After) is marked
// monitor.Transient, and the runner retries the whole fetch. Its errors
// name the document key and the page, never a URL or a credential.
type apiClient struct {
	key       string // document key, names the source in errors
	client    *http.Client
	timeout   time.Duration // per request, including the body
	userAgent string
	header    http.Header      // sent with every request (credentials)
	secrets   []string         // removed from every error message
	now       func() time.Time // reads Retry-After dates
}

// newAPIClient returns a client that sends its requests as t says (zero fields take their defaults). Empty secrets
// are ignored.
func newAPIClient(key string, t Transport, secrets ...string) *apiClient {
	t = t.withDefaults()
	c := &apiClient{
		key: key, client: t.Client, timeout: t.Timeout, userAgent: t.UserAgent, header: http.Header{},
		now: time.Now,
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
			return fmt.Errorf("stopped after 10 redirects: %w", errRedirectLoop)
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
	body, err := c.try(ctx, u, b)
	if err != nil {
		return nil, c.errorf("%s: %w", page, err)
	}
	return body, nil
}

// try sends one request. Its failures worth trying again are marked
// monitor.Transient.
func (c *apiClient) try(ctx context.Context, u *url.URL, b *budget) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, hideURL(err)
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
		return nil, transportError(hideURL(err))
	}
	defer resp.Body.Close()
	if err := statusError(resp, c.now()); err != nil {
		return nil, err
	}
	body, err := readBodyLimit(resp, b.left)
	if errors.Is(err, errBodyTooLarge) {
		return nil, fmt.Errorf("the pages exceed the limit of %d bytes together: %w", b.limit, errBodyTooLarge)
	}
	if err != nil {
		return nil, monitor.Transient(hideURL(err), 0)
	}
	b.left -= int64(len(body))
	return body, nil
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
