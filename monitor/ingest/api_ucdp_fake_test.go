package ingest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// ucdpPath is the endpoint of the fake UCDP API.
const ucdpPath = "/api/gedevents/25.1"

// ucdpFake is a UCDP API: the token header, pagesize and 0-based page,
// TotalPages and NextPageUrl.
type ucdpFake struct {
	mu       sync.Mutex
	events   []map[string]json.RawMessage
	requests []*http.Request
	// intercept, when set, may answer a request itself (returning true).
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

// newUCDPFake serves the fixture events until the test ends.
func newUCDPFake(t *testing.T) (*ucdpFake, *httptest.Server) {
	t.Helper()
	f := &ucdpFake{events: loadRecords(t, "api_ucdp_events.json")}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *ucdpFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
	if f.intercept != nil && f.intercept(w, r) {
		return
	}
	if r.Header.Get("x-ucdp-access-token") != apiToken {
		http.Error(w, `{"message":"invalid token"}`, http.StatusUnauthorized)
		return
	}
	if r.URL.Path != ucdpPath {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("pagesize"))
	page, _ := strconv.Atoi(q.Get("page"))
	pages := (len(f.events) + size - 1) / max(size, 1)
	next := ""
	if page+1 < pages {
		q.Set("page", strconv.Itoa(page+1))
		next = (&url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	writeJSON(w, map[string]any{
		"TotalCount": len(f.events), "TotalPages": pages, "PreviousPageUrl": "", "NextPageUrl": next,
		"Result": pageOf(f.events, page, 0, size),
	})
}

// takeRequests returns the requests so far and forgets them.
func (f *ucdpFake) takeRequests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// newTestUCDPAPI returns a fetcher of srv.
func newTestUCDPAPI(srv *httptest.Server, o UCDPAPIOptions) *ucdpAPI {
	o.BaseURL, o.Token = srv.URL+ucdpPath, apiToken
	return NewUCDPAPI(o).(*ucdpAPI)
}
