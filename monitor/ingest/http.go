package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// Defaults of HTTPOptions.
const (
	DefaultHTTPTimeout  = 30 * time.Second
	DefaultHTTPMaxBytes = 256 << 20 // 256 MiB
	maxRedirects        = 5
)

// Transport holds what every fetcher that speaks HTTP needs beyond its
// URL; HTTPOptions, ACLEDAPIOptions and UCDPAPIOptions embed it.
type Transport struct {
	// Timeout bounds one request including reading its body; 0 means
	// DefaultHTTPTimeout.
	Timeout time.Duration
	// MaxBytes limits the bytes read in one fetch (the body after any
	// transparent Content-Encoding decompression; for the paging API
	// fetchers the bodies of all pages together); 0 means
	// DefaultHTTPMaxBytes. More is an error and yields no document.
	MaxBytes int64
	// Client sends the requests; nil means a client that verifies TLS and
	// follows at most 5 redirects.
	Client *http.Client
	// UserAgent is sent as User-Agent when not empty.
	UserAgent string
}

// withDefaults returns t with its zero fields set to their defaults.
func (t Transport) withDefaults() Transport {
	if t.Timeout <= 0 {
		t.Timeout = DefaultHTTPTimeout
	}
	if t.MaxBytes <= 0 {
		t.MaxBytes = DefaultHTTPMaxBytes
	}
	if t.Client == nil {
		t.Client = defaultHTTPClient()
	}
	return t
}

// HTTPOptions configure an HTTP(S) fetcher.
type HTTPOptions struct {
	// Key is the URL as written in the config, with ${VAR} unexpanded. It is
	// the document key and the only form of the URL that appears in errors:
	// the expanded URL may hold an API key.
	Key string
	// URL is the expanded URL actually fetched.
	URL string
	Transport
}

type httpFetcher struct {
	o   HTTPOptions
	now func() time.Time // reads Retry-After dates
}

// NewHTTP returns a fetcher that GETs one URL. The stored cursor carries the
// response's ETag, Last-Modified and body SHA-256; they are sent back as
// If-None-Match and If-Modified-Since, and a 304 or a body with the stored
// hash yields no document. A status other than 2xx, a body cut short or a
// body over MaxBytes is an error naming Key, never the expanded URL. The
// body is read fully into memory before Fetch returns its document.
//
// Fetch tries once. Failures worth trying again are marked
// monitor.Transient for the runner, which retries them: a network error, a
// 5xx status, a 429 (with its Retry-After) and a body cut short. Any other
// status, a body over MaxBytes and a bad URL are not.
func NewHTTP(o HTTPOptions) monitor.Fetcher {
	o.Transport = o.Transport.withDefaults()
	return &httpFetcher{o: o, now: time.Now}
}

// defaultHTTPClient returns a client on a copy of the default transport
// (proxy from the environment, TLS verified) that stops after maxRedirects.
func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = t.Clone()
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("stopped after %d redirects: %w", maxRedirects, errRedirectLoop)
			}
			return nil
		},
	}
}

// Fetch implements monitor.Fetcher.
func (f *httpFetcher) Fetch(ctx context.Context, cursors map[string]string) ([]monitor.Document, error) {
	prev := parseHTTPCursor(cursors[f.o.Key])
	ctx, cancel := context.WithTimeout(ctx, f.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.o.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", f.o.Key, hideURL(err))
	}
	if f.o.UserAgent != "" {
		req.Header.Set("User-Agent", f.o.UserAgent)
	}
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := f.o.Client.Do(req)
	if err != nil {
		return nil, transportError(fmt.Errorf("fetch %s: %w", f.o.Key, hideURL(err)))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, nil
	}
	if err := statusError(resp, f.now()); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", f.o.Key, err)
	}
	body, err := f.readBody(resp)
	if err != nil {
		err = fmt.Errorf("fetch %s: %w", f.o.Key, hideURL(err))
		if !errors.Is(err, errBodyTooLarge) {
			err = monitor.Transient(err, 0)
		}
		return nil, err
	}
	sum := sha256.Sum256(body)
	next := httpCursor{
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		SHA256:       hex.EncodeToString(sum[:]),
	}
	if next.SHA256 == prev.SHA256 {
		return nil, nil
	}
	doc := monitor.Document{
		Key:    f.o.Key,
		Cursor: next.String(),
		Open:   func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	}
	return []monitor.Document{doc}, nil
}

// readBody reads the whole body, failing when it exceeds MaxBytes or is
// shorter than its Content-Length.
func (f *httpFetcher) readBody(resp *http.Response) ([]byte, error) {
	return readBodyLimit(resp, f.o.MaxBytes)
}

// errRedirectLoop is wrapped by the error of a request stopped after too
// many redirects.
var errRedirectLoop = errors.New("redirect loop")

// transportError marks err, the failure of a request to get an answer,
// monitor.Transient unless it would fail again the same way: a redirect
// loop or a certificate that does not verify.
func transportError(err error) error {
	var certErr *tls.CertificateVerificationError
	if errors.Is(err, errRedirectLoop) || errors.As(err, &certErr) {
		return err
	}
	return monitor.Transient(err, 0)
}

// statusError returns nil for a 2xx status and otherwise an error naming
// it, marked monitor.Transient for a 5xx and for a 429, with the wait its
// Retry-After asks for (read relative to now).
func statusError(resp *http.Response, now time.Time) error {
	s := resp.StatusCode
	if s >= 200 && s <= 299 {
		return nil
	}
	err := fmt.Errorf("HTTP status %s", resp.Status)
	switch {
	case s == http.StatusTooManyRequests:
		return monitor.Transient(err, retryAfter(resp.Header.Get("Retry-After"), now))
	case s >= 500:
		return monitor.Transient(err, 0)
	}
	return err
}

// errBodyTooLarge is wrapped by readBodyLimit when a body exceeds its limit.
var errBodyTooLarge = errors.New("body too large")

// readBodyLimit reads the whole body of resp, failing when it exceeds limit
// bytes (an error wrapping errBodyTooLarge) or is shorter than its
// Content-Length.
func readBodyLimit(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("body of %d bytes exceeds the limit of %d: %w", resp.ContentLength, limit, errBodyTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body after %d bytes: %w", len(body), err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("body exceeds the limit of %d bytes: %w", limit, errBodyTooLarge)
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
		return nil, fmt.Errorf("body cut short: %d of %d bytes", len(body), resp.ContentLength)
	}
	return body, nil
}

// hideURL strips the *url.Error wrapper, whose message holds the expanded
// URL, keeping its cause.
func hideURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
