package ingest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestACLEDAPIFailures(t *testing.T) {
	answer := func(status int, body string) func(http.ResponseWriter, *http.Request, int) bool {
		return func(w http.ResponseWriter, _ *http.Request, _ int) bool {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return true
		}
	}
	onPage := func(page string, h func(http.ResponseWriter, *http.Request, int) bool) func(http.ResponseWriter, *http.Request, int) bool {
		return func(w http.ResponseWriter, r *http.Request, n int) bool {
			return r.URL.Query().Get("page") == page && h(w, r, n)
		}
	}
	tests := []struct {
		name      string
		intercept func(http.ResponseWriter, *http.Request, int) bool
		opts      ACLEDAPIOptions
		want      string
		requests  int
	}{
		{"success false", answer(200, `{"success":false,"data":[]}`), ACLEDAPIOptions{}, "success false", 1},
		{"error member echoing the credentials", answer(200,
			`{"status":403,"success":false,"error":{"status":403,"message":"bad key `+apiKeySecret+` for `+apiEmail+`"}}`),
			ACLEDAPIOptions{}, "API error: bad key *** for ***", 1},
		{"error list", answer(200, `{"error":[{"message":"limit too high"}]}`), ACLEDAPIOptions{}, "limit too high", 1},
		{"invalid JSON", answer(200, `{"success":true,"data":[{"event_id_cnty":`), ACLEDAPIOptions{}, "invalid JSON", 1},
		{"record not an object", answer(200, `{"success":true,"data":[1]}`), ACLEDAPIOptions{}, "invalid JSON", 1},
		{"no data", answer(200, `{"success":true}`), ACLEDAPIOptions{}, "no data array", 1},
		{"wrong key", nil, ACLEDAPIOptions{Key: "other"}, "403", 1},
		{"truncated body", func(w http.ResponseWriter, r *http.Request, _ int) bool {
			truncatedHandler(w, r)
			return true
		}, ACLEDAPIOptions{}, "EOF", 1},
		{"over MaxBytes", nil, ACLEDAPIOptions{Transport: Transport{MaxBytes: 1500}}, "exceed the limit of 1500 bytes", 2},
		{"5xx on page 3", onPage("3", answer(503, "busy")), ACLEDAPIOptions{}, "acled/read page 3: HTTP status 503 Service Unavailable", 3},
		{"deletions fail", func(w http.ResponseWriter, r *http.Request, _ int) bool {
			return r.URL.Path == "/deleted/read" && answer(500, "")(w, r, 0)
		}, ACLEDAPIOptions{}, "deleted/read page 1: HTTP status 500", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newACLEDFake(t)
			o := tt.opts
			o.PageSize = 2
			f := newTestACLEDAPI(srv, o)
			if tt.opts.Key != "" {
				f.o.Key = tt.opts.Key
			}
			cursor := ""
			if tt.requests == 0 { // a failure of the second fetch
				doc, err := fetchACLED(t, f, "")
				if err != nil || doc == nil {
					t.Fatalf("first fetch: %v, %v", doc, err)
				}
				cursor = doc.Cursor
			}
			fake.intercept = tt.intercept
			fake.takeRequests()
			doc, err := fetchACLED(t, f, cursor)
			t.Logf("error: %v", err)
			if err == nil || doc != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("document %v, error %v; want an error containing %q", doc, err, tt.want)
			}
			if n := len(fake.takeRequests()); tt.requests > 0 && n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

// TestACLEDAPITransient checks which failures are marked for the runner to
// retry, and that none is retried here.
func TestACLEDAPITransient(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    string
		transient bool
		after     time.Duration
	}{
		{"502", http.StatusBadGateway, "", true, 0},
		{"429 with Retry-After in seconds", http.StatusTooManyRequests, "7", true, 7 * time.Second},
		{"429 with an unreadable Retry-After", http.StatusTooManyRequests, "soon", true, 0},
		{"401", http.StatusUnauthorized, "", false, 0},
		{"404", http.StatusNotFound, "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newACLEDFake(t)
			fake.intercept = func(w http.ResponseWriter, r *http.Request, _ int) bool {
				if r.URL.Query().Get("page") != "2" {
					return false
				}
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
				return true
			}
			f := newTestACLEDAPI(srv, ACLEDAPIOptions{PageSize: 2})
			doc, err := fetchACLED(t, f, "")
			if err == nil || doc != nil {
				t.Fatalf("fetch: %v, %v; want an error", doc, err)
			}
			checkNoSecrets(t, err)
			after, transient := monitor.IsTransient(err)
			if transient != tt.transient || after != tt.after {
				t.Errorf("transient %v after %v, want %v after %v", transient, after, tt.transient, tt.after)
			}
			if n := len(fake.takeRequests()); n != 2 {
				t.Errorf("%d requests, want 2 pages, the second failing once", n)
			}
		})
	}
}
