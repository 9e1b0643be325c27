package ingest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUCDPAPIFailures(t *testing.T) {
	answer := func(status int, body string) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, _ *http.Request) bool {
			w.WriteHeader(status)
			io.WriteString(w, body)
			return true
		}
	}
	tests := []struct {
		name      string
		intercept func(http.ResponseWriter, *http.Request) bool
		token     string
		want      string
		requests  int
	}{
		{"no token", nil, "-", "page 0: HTTP status 401", 1},
		{"wrong token", nil, "other", "page 0: HTTP status 401", 1},
		{"invalid JSON", answer(200, `{"Result":[{"id":1},`), "", "invalid JSON", 1},
		{"no Result", answer(200, `{"TotalPages":1}`), "", "no Result array", 1},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) bool {
			truncatedHandler(w, r)
			return true
		}, "", "unexpected EOF (after 4 attempts)", 4},
		{"5xx on page 2 after retries", func(w http.ResponseWriter, r *http.Request) bool {
			return r.URL.Query().Get("page") == "2" && answer(500, "")(w, r)
		}, "", "page 2: HTTP status 500 Internal Server Error (after 4 attempts)", 6},
		{"Retry-After too long", func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Retry-After", "3600")
			return answer(http.StatusTooManyRequests, "")(w, nil)
		}, "", "Retry-After 1h0m0s exceeds 2m0s", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newUCDPFake(t)
			fake.intercept = tt.intercept
			f, waits := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 2})
			switch tt.token {
			case "-":
				f.c.header.Del("x-ucdp-access-token")
			case "":
			default:
				f.c.header.Set("x-ucdp-access-token", tt.token)
			}
			doc, err := fetchUCDP(t, f, "")
			t.Logf("error: %v", err)
			if err == nil || doc != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("document %v, error %v; want an error containing %q", doc, err, tt.want)
			}
			if n := len(fake.takeRequests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if tt.requests == 4 && !slices.Equal(*waits, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}) {
				t.Errorf("waits %v, want 1s 2s 4s", *waits)
			}
		})
	}
}

func TestUCDPAPIRetryAfter(t *testing.T) {
	fake, srv := newUCDPFake(t)
	limited := false
	fake.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Get("page") != "1" || limited {
			return false
		}
		limited = true
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	}
	f, waits := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 2})
	doc, err := fetchUCDP(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("fetch: %v, %v", doc, err)
	}
	if !slices.Equal(*waits, []time.Duration{3 * time.Second}) {
		t.Errorf("waits %v, want the 3 s of Retry-After", *waits)
	}
	if n := len(fake.takeRequests()); n != 4 {
		t.Errorf("%d requests, want 3 pages and 1 retry", n)
	}
}

func TestUCDPAPICanceled(t *testing.T) {
	fake, srv := newUCDPFake(t)
	fake.intercept = func(w http.ResponseWriter, _ *http.Request) bool {
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
	f := NewUCDPAPI(UCDPAPIOptions{BaseURL: srv.URL + ucdpPath, Token: apiToken}).(*ucdpAPI)
	f.c.backoff = time.Hour // the real wait, cut short by ctx
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	docs, err := f.Fetch(ctx, nil)
	checkNoSecrets(t, err)
	if !errors.Is(err, context.DeadlineExceeded) || docs != nil {
		t.Errorf("documents %v, error %v; want the context's error", docs, err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("fetch took %s after its context ended", d)
	}
}
