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

// acledFake is an ACLED API: acled/read and deleted/read with key and email,
// limit and page, and the >= timestamp filters.
type acledFake struct {
	mu       sync.Mutex
	records  []map[string]json.RawMessage
	deleted  []map[string]json.RawMessage
	requests []*url.URL
	// intercept, when set, may answer a request itself (returning true);
	// n is the 1-based number of the request.
	intercept func(w http.ResponseWriter, r *http.Request, n int) bool
}

// newACLEDFake serves the fixture records until the test ends.
func newACLEDFake(t *testing.T) (*acledFake, *httptest.Server) {
	t.Helper()
	f := &acledFake{records: loadRecords(t, "api_acled_events.json")}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *acledFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.URL)
	if f.intercept != nil && f.intercept(w, r, len(f.requests)) {
		return
	}
	q := r.URL.Query()
	if q.Get("key") != apiKeySecret || q.Get("email") != apiEmail {
		w.WriteHeader(http.StatusForbidden)
		writeJSON(w, map[string]any{"status": 403, "success": false, "error": map[string]any{"status": 403, "message": "Access denied"}})
		return
	}
	var items []map[string]json.RawMessage
	switch r.URL.Path {
	case "/acled/read":
		items = filterSince(f.records, "timestamp", q)
	case "/deleted/read":
		items = filterSince(f.deleted, "deleted_timestamp", q)
	default:
		http.NotFound(w, r)
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	page, _ := strconv.Atoi(q.Get("page"))
	data := pageOf(items, page, 1, limit)
	writeJSON(w, map[string]any{"status": 200, "success": true, "count": len(data), "data": data})
}

// filterSince keeps the items whose field is >= the query's value of it
// when the query asks for >=.
func filterSince(items []map[string]json.RawMessage, field string, q url.Values) []map[string]json.RawMessage {
	if q.Get(field) == "" || q.Get(field+"_where") != ">=" {
		return items
	}
	since, _ := strconv.ParseInt(q.Get(field), 10, 64)
	var out []map[string]json.RawMessage
	for _, it := range items {
		s, _ := cellText(it[field])
		if ts, err := strconv.ParseInt(s, 10, 64); err == nil && ts >= since {
			out = append(out, it)
		}
	}
	return out
}

// add appends a record or deletion given as JSON.
func (f *acledFake) add(t *testing.T, deleted bool, obj string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(obj), &m); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if deleted {
		f.deleted = append(f.deleted, m)
	} else {
		f.records = append(f.records, m)
	}
}

// takeRequests returns the requests so far and forgets them.
func (f *acledFake) takeRequests() []*url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// newTestACLEDAPI returns a fetcher of srv.
func newTestACLEDAPI(srv *httptest.Server, o ACLEDAPIOptions) *acledAPI {
	o.BaseURL, o.Key, o.Email = srv.URL, apiKeySecret, apiEmail
	return NewACLEDAPI(o).(*acledAPI)
}
