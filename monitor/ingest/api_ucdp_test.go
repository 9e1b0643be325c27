package ingest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

const ucdpKey = "ucdp-api/25.1"

// fetchUCDP runs one fetch and checks what every fetch must keep.
func fetchUCDP(t *testing.T, f *ucdpAPI, cursor string) (*monitor.Document, error) {
	t.Helper()
	docs, err := f.Fetch(context.Background(), map[string]string{ucdpKey: cursor})
	checkNoSecrets(t, err)
	if err != nil {
		if len(docs) != 0 || !strings.Contains(err.Error(), ucdpKey) {
			t.Errorf("error %v with %d documents; want none, and the key named", err, len(docs))
		}
		return nil, err
	}
	if len(docs) == 0 {
		return nil, nil
	}
	if len(docs) != 1 || docs[0].Key != ucdpKey || docs[0].Cursor == "" || docs[0].Deleted != nil {
		t.Fatalf("documents %+v, want one keyed %s with a cursor", docs, ucdpKey)
	}
	return &docs[0], nil
}

func TestUCDPAPIPagingAndDecode(t *testing.T) {
	fake, srv := newUCDPFake(t)
	f := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 2, Query: url.Values{"Country": {"999"}}, Transport: Transport{UserAgent: "ceasefired-test"}})
	doc, err := fetchUCDP(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("fetch: %v, %v", doc, err)
	}
	reqs := fake.takeRequests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 pages", len(reqs))
	}
	for i, r := range reqs {
		q := r.URL.Query()
		if q.Get("page") != strconv.Itoa(i) || q.Get("pagesize") != "2" || q.Get("Country") != "999" ||
			r.Header.Get("User-Agent") != "ceasefired-test" || r.Header.Get("x-ucdp-access-token") != apiToken {
			t.Errorf("request %d: %s %v", i, r.URL, r.Header)
		}
	}
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	want := []monitor.Incident{
		{ID: "900101", OccurredAt: day(1), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 1_000, Category: monitor.ArmedClash, Confidence: -1},
		{ID: "900102", OccurredAt: day(2), Lat: 47.9, Lon: 37.7, UncertaintyM: 25_000, Category: monitor.ArmedClash, Confidence: -1},
		{ID: "900103", OccurredAt: day(3), Lat: 48.3, Lon: 37.5, UncertaintyM: 100_000, Category: monitor.Other, Confidence: -1},
		{ID: "900105", OccurredAt: day(5), Lat: 48.06, Lon: 37.62, UncertaintyM: 1_000, Category: monitor.ArmedClash, Confidence: -1},
	}
	rec := decodeDoc(t, NewUCDP(UCDPOptions{}), *doc)
	if got := incidentsWithoutRaw(rec); !slices.Equal(got, want) {
		t.Errorf("incidents\n got %+v\nwant %+v", got, want)
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Reason != monitor.ReasonNotSpatial || rec.rejects[0].Line != 5 {
		t.Errorf("rejects %+v, want line 5 not spatial", rec.rejects)
	}
	header, _, _ := strings.Cut(docContent(t, *doc), "\n")
	if !strings.HasPrefix(header, "id,relid,year,active_year,code_status,type_of_violence,") {
		t.Errorf("header %s, want the GED order", header)
	}
}

func TestUCDPAPICursor(t *testing.T) {
	fake, srv := newUCDPFake(t)
	f := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 2})
	doc, err := fetchUCDP(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("first fetch: %v, %v", doc, err)
	}
	c1 := doc.Cursor
	if doc, err := fetchUCDP(t, f, c1); doc != nil || err != nil {
		t.Errorf("unchanged: document %v, error %v; want none", doc, err)
	}
	fake.mu.Lock()
	slices.Reverse(fake.events)
	fake.mu.Unlock()
	if doc, err := fetchUCDP(t, f, c1); doc != nil || err != nil {
		t.Errorf("same events in another order: document %v, error %v; want none", doc, err)
	}
	fake.mu.Lock()
	fake.events[0]["best"] = json.RawMessage("3")
	fake.mu.Unlock()
	doc, err = fetchUCDP(t, f, c1)
	if err != nil || doc == nil || doc.Cursor == c1 {
		t.Fatalf("changed event: %v, %v; want a document with a new cursor", doc, err)
	}
}

func TestUCDPAPIStops(t *testing.T) {
	tests := []struct {
		name     string
		answer   string
		requests int
	}{
		{"NextPageUrl empty", `{"TotalPages":9,"NextPageUrl":"","Result":[{"id":1}]}`, 1},
		{"NextPageUrl null", `{"TotalPages":9,"NextPageUrl":null,"Result":[{"id":1}]}`, 1},
		{"TotalPages reached", `{"TotalPages":1,"NextPageUrl":"http://next.example/","Result":[{"id":1}]}`, 1},
		{"empty page", `{"TotalPages":9,"NextPageUrl":"http://next.example/","Result":[]}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newUCDPFake(t)
			fake.intercept = func(w http.ResponseWriter, _ *http.Request) bool {
				_, _ = io.WriteString(w, tt.answer)
				return true
			}
			f := newTestUCDPAPI(srv, UCDPAPIOptions{PageSize: 1})
			if _, err := fetchUCDP(t, f, ""); err != nil {
				t.Fatal(err)
			}
			if n := len(fake.takeRequests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestUCDPAPIEmpty(t *testing.T) {
	fake, srv := newUCDPFake(t)
	fake.events = nil
	f := newTestUCDPAPI(srv, UCDPAPIOptions{})
	if doc, err := fetchUCDP(t, f, ""); doc != nil || err != nil {
		t.Errorf("empty result: document %v, error %v; want none", doc, err)
	}
}

func TestUCDPAPIKey(t *testing.T) {
	tests := []struct{ base, key string }{
		{"", "ucdp-api/25.1"},
		{"https://ucdp.example/api/gedevents/24.1", "ucdp-api/24.1"},
		{"https://ucdp.example/api/gedevents/25.0.3/", "ucdp-api/25.0.3"},
		{"https://ucdp.example", "ucdp-api"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			if got := NewUCDPAPI(UCDPAPIOptions{BaseURL: tt.base}).(*ucdpAPI).key; got != tt.key {
				t.Errorf("key %q, want %q", got, tt.key)
			}
		})
	}
}
