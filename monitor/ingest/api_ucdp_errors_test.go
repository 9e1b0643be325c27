package ingest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestUCDPAPIFailures(t *testing.T) {
	answer := func(status int, body string) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, _ *http.Request) bool {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return true
		}
	}
	tests := []struct {
		name      string
		intercept func(http.ResponseWriter, *http.Request) bool
		token     string
		want      string
		requests  int
		transient bool
		after     time.Duration
	}{
		{"no token", nil, "-", "page 0: HTTP status 401", 1, false, 0},
		{"wrong token", nil, "other", "page 0: HTTP status 401", 1, false, 0},
		{"invalid JSON", answer(200, `{"Result":[{"id":1},`), "", "invalid JSON", 1, false, 0},
		{"no Result", answer(200, `{"TotalPages":1}`), "", "no Result array", 1, false, 0},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) bool {
			truncatedHandler(w, r)
			return true
		}, "", "unexpected EOF", 1, true, 0},
		{"5xx on page 2", func(w http.ResponseWriter, r *http.Request) bool {
			return r.URL.Query().Get("page") == "2" && answer(500, "")(w, r)
		}, "", "page 2: HTTP status 500 Internal Server Error", 3, true, 0},
		{"429 with Retry-After", func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Retry-After", "3600")
			return answer(http.StatusTooManyRequests, "")(w, nil)
		}, "", "page 0: HTTP status 429", 1, true, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newUCDPFake(t)
			fake.intercept = tt.intercept
			f := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 2})
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
				t.Errorf("%d requests, want %d: a page is tried once", n, tt.requests)
			}
			after, transient := monitor.IsTransient(err)
			if transient != tt.transient || after != tt.after {
				t.Errorf("transient %v after %v, want %v after %v", transient, after, tt.transient, tt.after)
			}
		})
	}
}

func TestUCDPAPICanceled(t *testing.T) {
	fake, srv := newUCDPFake(t)
	fake.intercept = func(_ http.ResponseWriter, r *http.Request) bool {
		<-r.Context().Done() // an answer that never comes
		return true
	}
	f := newTestUCDPAPI(srv, UCDPAPIOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	docs, err := f.Fetch(ctx, nil)
	checkNoSecrets(t, err)
	if !errors.Is(err, context.DeadlineExceeded) || docs != nil {
		t.Errorf("documents %v, error %v; want the context's error", docs, err)
	}
}
