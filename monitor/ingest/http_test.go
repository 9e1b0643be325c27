package ingest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// secret stands for an API key expanded into the URL; it must never show
// up in an error.
const secret = "s3cr3t-map-key"

const key = "https://firms.example/api/${FIRMS_MAP_KEY}/area.csv"

func fetchOne(t *testing.T, o HTTPOptions, cursors map[string]string) (body, cursor string, ok bool, err error) {
	t.Helper()
	docs, err := NewHTTP(o).Fetch(context.Background(), cursors)
	if err != nil {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error leaks the expanded URL: %v", err)
		}
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %v does not name the key", err)
		}
		return "", "", false, err
	}
	if len(docs) == 0 {
		return "", "", false, nil
	}
	if len(docs) != 1 || docs[0].Key != key {
		t.Fatalf("documents %+v, want one with key %s", docs, key)
	}
	return docContent(t, docs[0]), docs[0].Cursor, true, nil
}

func TestHTTPConditional(t *testing.T) {
	var mu sync.Mutex
	var gotHeaders []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotHeaders = append(gotHeaders, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Fri, 18 Mar 2022 10:00:00 GMT")
		_, _ = io.WriteString(w, "latitude,longitude,acq_date\n")
	}))
	defer srv.Close()
	o := HTTPOptions{Key: key, URL: srv.URL + "/?key=" + secret, Transport: Transport{UserAgent: "ceasefired-test"}}
	body, cursor, ok, err := fetchOne(t, o, nil)
	if err != nil || !ok || body != "latitude,longitude,acq_date\n" {
		t.Fatalf("first fetch: %q, %v, %v", body, ok, err)
	}
	_, _, ok, err = fetchOne(t, o, map[string]string{key: cursor})
	if err != nil || ok {
		t.Fatalf("second fetch: document %v, error %v; want 304 and no document", ok, err)
	}
	h := gotHeaders[1]
	if h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != "Fri, 18 Mar 2022 10:00:00 GMT" || h.Get("User-Agent") != "ceasefired-test" {
		t.Errorf("conditional request headers %v", h)
	}
	if gotHeaders[0].Get("If-None-Match") != "" {
		t.Errorf("first request was conditional: %v", gotHeaders[0])
	}
}

func TestHTTPUnchangedBody(t *testing.T) {
	var mu sync.Mutex
	content := "a,b\n1,2\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = io.WriteString(w, content)
	}))
	defer srv.Close()
	o := HTTPOptions{Key: key, URL: srv.URL}
	_, cursor, ok, err := fetchOne(t, o, nil)
	if err != nil || !ok {
		t.Fatalf("first fetch: %v, %v", ok, err)
	}
	if _, _, ok, err := fetchOne(t, o, map[string]string{key: cursor}); ok || err != nil {
		t.Errorf("same body: document %v, error %v; want none", ok, err)
	}
	mu.Lock()
	content = "a,b\n1,3\n"
	mu.Unlock()
	if body, _, ok, err := fetchOne(t, o, map[string]string{key: cursor}); !ok || err != nil || body != "a,b\n1,3\n" {
		t.Errorf("changed body: %q, %v, %v", body, ok, err)
	}
}

func TestHTTPFailures(t *testing.T) {
	big := strings.Repeat("x", 1000)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opts    HTTPOptions
		want    string
		// transient: the runner may retry it; after is the wait asked for.
		transient bool
		after     time.Duration
	}{
		{"5xx", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}, HTTPOptions{}, "503", true, 0},
		{"429 with Retry-After", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "30")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, HTTPOptions{}, "429", true, 30 * time.Second},
		{"429 without Retry-After", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}, HTTPOptions{}, "429", true, 0},
		{"401", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "who are you", http.StatusUnauthorized)
		}, HTTPOptions{}, "401", false, 0},
		{"404", func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) }, HTTPOptions{}, "404", false, 0},
		{"over limit with Content-Length", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, big)
		}, HTTPOptions{Transport: Transport{MaxBytes: 100}}, "limit", false, 0},
		{"over limit chunked", func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i < 10; i++ {
				_, _ = io.WriteString(w, big)
				w.(http.Flusher).Flush()
			}
		}, HTTPOptions{Transport: Transport{MaxBytes: 5000}}, "limit", false, 0},
		{"truncated body", func(w http.ResponseWriter, _ *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nlatitude,longitude")
			buf.Flush()
			conn.Close()
		}, HTTPOptions{}, "EOF", true, 0},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, HTTPOptions{Transport: Transport{Timeout: 100 * time.Millisecond}}, "deadline", true, 0},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}, HTTPOptions{}, "redirects", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			o := tt.opts
			o.Key, o.URL = key, srv.URL+"/"+secret+"?key="+secret
			_, _, ok, err := fetchOne(t, o, nil)
			t.Logf("error: %v", err)
			if err == nil || ok || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("document %v, error %v; want an error containing %q", ok, err, tt.want)
			}
			after, transient := monitor.IsTransient(err)
			if transient != tt.transient || after != tt.after {
				t.Errorf("transient %v after %v, want %v after %v", transient, after, tt.transient, tt.after)
			}
		})
	}
}

func TestHTTPCursorRoundTrip(t *testing.T) {
	tests := []httpCursor{
		{},
		{SHA256: "ab"},
		{ETag: `W/"x&y=z"`, LastModified: "Fri, 18 Mar 2022 10:00:00 GMT", SHA256: "00ff"},
	}
	for _, c := range tests {
		t.Run(c.String(), func(t *testing.T) {
			if got := parseHTTPCursor(c.String()); got != c {
				t.Errorf("round trip %+v → %q → %+v", c, c.String(), got)
			}
		})
	}
	if got := parseHTTPCursor("%zz"); got != (httpCursor{}) {
		t.Errorf("unreadable cursor gave %+v, want zero", got)
	}
}
