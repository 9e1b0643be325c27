package ingest

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// acledWant are the incidents NewACLED reads from the fixture records.
func acledWant() []monitor.Incident {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	return []monitor.Incident{
		{ID: "TST2001", OccurredAt: day(1), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 2_000, Category: monitor.Shelling, Confidence: -1},
		{ID: "TST2002", OccurredAt: day(1), Lat: 48.2, Lon: 37.9, UncertaintyM: 25_000, Category: monitor.AirStrike, Confidence: -1},
		{ID: "TST2003", OccurredAt: day(2), Lat: 47.9, Lon: 37.7, UncertaintyM: 2_000, Category: monitor.ArmedClash, Confidence: -1},
		{ID: "TST2004", OccurredAt: day(3), Lat: 48.05, Lon: 37.61, UncertaintyM: 25_000, Category: monitor.Explosion, Confidence: -1},
		{ID: "TST2005", OccurredAt: day(3), Lat: 48.06, Lon: 37.62, UncertaintyM: 2_000, Category: monitor.Other, Confidence: -1},
	}
}

// fetchACLED runs one fetch and checks what every fetch must keep.
func fetchACLED(t *testing.T, f *acledAPI, cursor string) (*monitor.Document, error) {
	t.Helper()
	cursors := map[string]string{}
	if cursor != "" {
		cursors[ACLEDAPIKey] = cursor
	}
	docs, err := f.Fetch(context.Background(), cursors)
	checkNoSecrets(t, err)
	if err != nil {
		if len(docs) != 0 {
			t.Errorf("error %v with %d documents", err, len(docs))
		}
		if !strings.Contains(err.Error(), ACLEDAPIKey) {
			t.Errorf("error %v does not name the key", err)
		}
		return nil, err
	}
	switch len(docs) {
	case 0:
		return nil, nil
	case 1:
		if docs[0].Key != ACLEDAPIKey || docs[0].Cursor == "" {
			t.Fatalf("document key %q cursor %q", docs[0].Key, docs[0].Cursor)
		}
		return &docs[0], nil
	}
	t.Fatalf("%d documents, want at most one", len(docs))
	return nil, nil
}

func TestACLEDAPIPaging(t *testing.T) {
	tests := []struct {
		name     string
		records  int
		pageSize int
		pages    int
	}{
		{"three pages, last short", 5, 2, 3},
		{"last page empty", 4, 2, 3},
		{"one page by default", 5, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, srv := newACLEDFake(t)
			fake.records = fake.records[:tt.records]
			f := newTestACLEDAPI(srv, ACLEDAPIOptions{PageSize: tt.pageSize, Query: url.Values{"country": {"Testland"}}, Transport: Transport{UserAgent: "ceasefired-test"}})
			doc, err := fetchACLED(t, f, "")
			if err != nil || doc == nil {
				t.Fatalf("fetch: %v, %v", doc, err)
			}
			reqs := fake.takeRequests()
			if len(reqs) != tt.pages {
				t.Fatalf("%d requests, want %d: %v", len(reqs), tt.pages, reqs)
			}
			limit := tt.pageSize
			if limit == 0 {
				limit = DefaultACLEDAPIPageSize
			}
			for i, r := range reqs {
				q := r.Query()
				if r.Path != "/acled/read" || q.Get("page") != strconv.Itoa(i+1) || q.Get("limit") != strconv.Itoa(limit) ||
					q.Get("country") != "Testland" || q.Has("timestamp") {
					t.Errorf("request %d: %s", i+1, r)
				}
			}
			if doc.Deleted != nil {
				t.Errorf("first fetch reports deletions %v", doc.Deleted)
			}
			rec := decodeDoc(t, NewACLED(ACLEDOptions{}), *doc)
			if got, want := incidentsWithoutRaw(rec), acledWant()[:tt.records]; !slices.Equal(got, want) {
				t.Errorf("incidents\n got %+v\nwant %+v", got, want)
			}
			if len(rec.rejects) != 0 {
				t.Errorf("rejects %v", rec.rejects)
			}
		})
	}
}

func TestACLEDAPIContent(t *testing.T) {
	_, srv := newACLEDFake(t)
	f := newTestACLEDAPI(srv, ACLEDAPIOptions{PageSize: 2})
	doc, err := fetchACLED(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("fetch: %v, %v", doc, err)
	}
	content := docContent(t, *doc)
	header, _, _ := strings.Cut(content, "\n")
	want := "actor1,admin1,country,event_date,event_id_cnty,event_type,fatalities,geo_precision,latitude,location,longitude,notes,source,sub_event_type,tags,time_precision,timestamp,year"
	if header != want {
		t.Errorf("header\n got %s\nwant %s", header, want)
	}
	for _, cell := range []string{
		`,48.2,`, // a JSON number as written
		`"A drone struck a depot.` + "\n" + `Second line of notes."`,
		`"Shelling hit the outskirts, ""heavy"" damage, two fires."`,
		`"[""looting"",""shops""]"`,
		`Military Forces of Otherland,,Testland`, // null is empty
	} {
		if !strings.Contains(content, cell) {
			t.Errorf("content lacks %s:\n%s", cell, content)
		}
	}
}
