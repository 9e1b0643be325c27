package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// scriptedFetcher returns the errors of its script in turn, then succeeds.
type scriptedFetcher struct {
	script []error
	calls  int
}

func (f *scriptedFetcher) Fetch(context.Context, map[string]string) ([]monitor.Document, error) {
	f.calls++
	if f.calls <= len(f.script) {
		return nil, f.script[f.calls-1]
	}
	return nil, nil
}

func TestFetchRetryPolicy(t *testing.T) {
	unavailable := monitor.Transient(errors.New("HTTP status 503"), 0)
	limited := func(after time.Duration) error {
		return monitor.Transient(errors.New("HTTP status 429"), after)
	}
	denied := errors.New("HTTP status 401")
	repeat := func(err error, n int) []error {
		out := make([]error, n)
		for i := range out {
			out[i] = err
		}
		return out
	}
	tests := []struct {
		name      string
		schedule  string
		script    []error
		wantCalls int
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"success is tried once", "@every 1m", nil, 1, nil, false},
		{"recovers on the second try", "@every 1m", repeat(unavailable, 1), 2, []time.Duration{time.Second}, false},
		{"recovers on the third try", "@every 1m", repeat(unavailable, 2), 3, []time.Duration{time.Second, 2 * time.Second}, false},
		{"gives up after three tries", "@every 1m", repeat(unavailable, 9), 3, []time.Duration{time.Second, 2 * time.Second}, true},
		{"an unmarked error is not retried", "@every 1m", repeat(denied, 9), 1, nil, true},
		{"a wrapped transient error is retried", "@every 1m", repeat(fmt.Errorf("page 3: %w", unavailable), 1), 2, []time.Duration{time.Second}, false},
		{"Retry-After sets the wait", "@every 1m", []error{limited(7 * time.Second), limited(9 * time.Second)}, 3,
			[]time.Duration{7 * time.Second, 9 * time.Second}, false},
		{"Retry-After over the longest honoured wait", "@daily", repeat(limited(monitor.MaxRetryAfter+time.Second), 9), 1, nil, true},
		{"Retry-After past half the interval", "@every 1m", repeat(limited(31*time.Second), 9), 1, nil, true},
		// 1 s fits in half of 3 s; the second wait, 2 s, does not.
		{"no retry past half the interval", "@every 3s", repeat(unavailable, 9), 2, []time.Duration{time.Second}, true},
		{"no retry without a schedule", "", repeat(unavailable, 9), 1, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeClock(trialStart)
			r, _ := clockRunner(t, store.NewMemory(), c, 0)
			f := &scriptedFetcher{script: tc.script}
			err := r.Fetch(context.Background(), &monitor.Source{Name: "s", Schedule: tc.schedule, Fetcher: f})
			if f.calls != tc.wantCalls || (err != nil) != tc.wantErr {
				t.Errorf("%d calls, err %v; want %d calls, error %v", f.calls, err, tc.wantCalls, tc.wantErr)
			}
			if got := c.Waits(); !slices.Equal(got, tc.wantWaits) {
				t.Errorf("waits %v, want %v", got, tc.wantWaits)
			}
		})
	}
}

func TestFetchRetryStopsWithContext(t *testing.T) {
	c := newFakeClock(trialStart)
	r, _ := clockRunner(t, store.NewMemory(), c, 0)
	ctx, cancel := context.WithCancel(context.Background())
	f := &cancellingFetcher{cancel: cancel}
	err := r.Fetch(ctx, &monitor.Source{Name: "s", Schedule: "@hourly", Fetcher: f})
	if err == nil || f.calls != 1 {
		t.Errorf("%d calls, err %v; want one call and an error", f.calls, err)
	}
}

// cancellingFetcher fails transiently and cancels the fetch's context.
type cancellingFetcher struct {
	cancel func()
	calls  int
}

func (f *cancellingFetcher) Fetch(context.Context, map[string]string) ([]monitor.Document, error) {
	f.calls++
	f.cancel()
	return nil, monitor.Transient(errors.New("connection reset"), 0)
}

// statusServer answers every request with status (and Retry-After when
// retryAfter is set) and counts the requests.
func statusServer(t *testing.T, status int, retryAfter string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(status), status)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestRetriesCountedAtTheServer runs the real HTTP fetchers through the
// runner against servers that always fail, and counts the requests that
// reach them: retries happen in one layer only.
func TestRetriesCountedAtTheServer(t *testing.T) {
	fetchers := []struct {
		name string
		new  func(url string) monitor.Fetcher
	}{
		{"http", func(u string) monitor.Fetcher { return ingest.NewHTTP(ingest.HTTPOptions{Key: "feed", URL: u}) }},
		{"acled api", func(u string) monitor.Fetcher {
			return ingest.NewACLEDAPI(ingest.ACLEDAPIOptions{BaseURL: u, Key: "k", Email: "e@example.org"})
		}},
		{"ucdp api", func(u string) monitor.Fetcher {
			return ingest.NewUCDPAPI(ingest.UCDPAPIOptions{BaseURL: u + "/api/gedevents/25.1", Token: "t"})
		}},
	}
	statuses := []struct {
		status     int
		retryAfter string
		requests   int64
		waits      []time.Duration
	}{
		{http.StatusUnauthorized, "", 1, nil},
		{http.StatusForbidden, "", 1, nil},
		{http.StatusNotFound, "", 1, nil},
		{http.StatusServiceUnavailable, "", 3, []time.Duration{time.Second, 2 * time.Second}},
		{http.StatusInternalServerError, "", 3, []time.Duration{time.Second, 2 * time.Second}},
		{http.StatusTooManyRequests, "5", 3, []time.Duration{5 * time.Second, 5 * time.Second}},
		{http.StatusTooManyRequests, "3600", 1, nil},
	}
	for _, f := range fetchers {
		for _, st := range statuses {
			name := fmt.Sprintf("%s %d %s", f.name, st.status, st.retryAfter)
			t.Run(strings.TrimSpace(name), func(t *testing.T) {
				srv, n := statusServer(t, st.status, st.retryAfter)
				c := newFakeClock(trialStart)
				r, reg := clockRunner(t, store.NewMemory(), c, 0)
				src := &monitor.Source{Name: "s", Schedule: "@hourly", Fetcher: f.new(srv.URL)}
				r.SetSources([]*monitor.Source{src})
				err := r.Fetch(context.Background(), src)
				if err == nil || !strings.Contains(err.Error(), fmt.Sprint(st.status)) {
					t.Errorf("error %v, want one naming status %d", err, st.status)
				}
				if got := n.Load(); got != st.requests {
					t.Errorf("%d requests in all, want %d", got, st.requests)
				}
				if got := c.Waits(); !slices.Equal(got, st.waits) {
					t.Errorf("waits %v, want %v", got, st.waits)
				}
				if got := testutil.ToFloat64(counter(t, reg, "ceasefire_source_fetch_failures_total")); got != 1 {
					t.Errorf("fetch failures %v, want 1: retries are one fetch", got)
				}
			})
		}
	}
}

func TestCommitRetries(t *testing.T) {
	tests := []struct {
		name      string
		schedule  string
		failures  int   // commits that fail before one succeeds
		err       error // the failure
		wantCalls int64
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"stored at once", "@daily", 0, nil, 1, nil, false},
		{"disk full once", "@daily", 1, errDiskFull, 2, []time.Duration{time.Second}, false},
		{"disk full twice", "@daily", 2, errDiskFull, 3, []time.Duration{time.Second, 2 * time.Second}, false},
		{"disk full for good", "@daily", 99, errDiskFull, 3, []time.Duration{time.Second, 2 * time.Second}, true},
		{"an invalid batch is not retried", "@daily", 99, fmt.Errorf("item 1: %w", monitor.ErrInvalidBatch), 1, nil, true},
		{"no retry past half the interval", "@every 3s", 99, errDiskFull, 2, []time.Duration{time.Second}, true},
		{"no retry without a schedule", "", 99, errDiskFull, 1, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := &failingStore{Store: store.NewMemory(), fail: func(call int, _ *monitor.Batch) error {
				if call <= tc.failures {
					return tc.err
				}
				return nil
			}}
			c := newFakeClock(trialStart.Add(3 * monitor.Day))
			r, reg := clockRunner(t, fs, c, 0)
			src := memSource("feed", tc.schedule, memDoc("d", "c1", reports))
			r.SetSources([]*monitor.Source{src})
			err := r.Fetch(context.Background(), src)
			if (err != nil) != tc.wantErr {
				t.Fatalf("fetch error %v, want error %v", err, tc.wantErr)
			}
			if got := fs.calls.Load(); got != tc.wantCalls {
				t.Errorf("%d commits, want %d", got, tc.wantCalls)
			}
			if got := c.Waits(); !slices.Equal(got, tc.wantWaits) {
				t.Errorf("waits %v, want %v", got, tc.wantWaits)
			}
			wantStored, wantCursor := int64(6), "c1"
			if tc.wantErr {
				wantStored, wantCursor = 0, ""
			}
			if n, _ := fs.IncidentCount(context.Background()); n != wantStored {
				t.Errorf("%d incidents stored, want %d", n, wantStored)
			}
			if cur, _ := fs.Cursors(context.Background(), "feed"); cur["d"] != wantCursor {
				t.Errorf("cursor %q, want %q", cur["d"], wantCursor)
			}
			// Retried commits count once: the tally matches the store.
			if got, want := r.Tally().Count("freeze", "a", monitor.Shelling), int64(2); !tc.wantErr && got != want {
				t.Errorf("shelling in a %d, want %d", got, want)
			}
			if got := testutil.ToFloat64(counter(t, reg, "ceasefire_incidents_ingested_total")); got != float64(wantStored) {
				t.Errorf("ingested counter %v, want %d", got, wantStored)
			}
		})
	}
}
