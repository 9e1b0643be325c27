package ingest

import (
	"net/url"
	"slices"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

// acledIDs returns the ids of the incidents NewACLED reads from doc.
func acledIDs(t *testing.T, doc *monitor.Document) []string {
	t.Helper()
	var ids []string
	for _, inc := range decodeDoc(t, NewACLED(ACLEDOptions{}), *doc).incidents {
		ids = append(ids, inc.ID)
	}
	return ids
}

func TestACLEDAPICursor(t *testing.T) {
	fake, srv := newACLEDFake(t)
	f := newTestACLEDAPI(srv, ACLEDAPIOptions{PageSize: 2})

	doc, err := fetchACLED(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("first fetch: %v, %v", doc, err)
	}
	c1 := doc.Cursor
	if got := parseACLEDCursor(c1); got.Events.TS != 1767398400 || got.Events.IDs == "" || got.Deleted.TS != 1767398400 {
		t.Errorf("first cursor %q = %+v", c1, got)
	}
	if reqs := fake.takeRequests(); len(reqs) != 3 || slices.ContainsFunc(reqs, func(u *url.URL) bool { return u.Path != "/acled/read" }) {
		t.Errorf("first fetch requests %v, want 3 pages of acled/read and no deletions", reqs)
	}

	doc, err = fetchACLED(t, f, c1)
	if err != nil || doc != nil {
		t.Fatalf("second fetch: document %v, error %v; want none", doc, err)
	}
	reqs := fake.takeRequests()
	if len(reqs) != 3 {
		// The two records at the mark fill page 1, so page 2 is asked for.
		t.Fatalf("second fetch requests %v, want 2 pages of acled/read and deleted/read", reqs)
	}
	if q := reqs[0].Query(); reqs[0].Path != "/acled/read" || q.Get("timestamp") != "1767398400" || q.Get("timestamp_where") != ">=" {
		t.Errorf("second events request %s", reqs[0])
	}
	if q := reqs[2].Query(); reqs[2].Path != "/deleted/read" || q.Get("deleted_timestamp") != "1767398400" || q.Get("deleted_timestamp_where") != ">=" {
		t.Errorf("second deletions request %s", reqs[2])
	}

	fake.add(t, false, `{"event_id_cnty":"TST2006","event_date":"2026-12-04","sub_event_type":"Armed clash","latitude":"47.5","longitude":"37.5","geo_precision":"1","timestamp":"1767484800"}`)
	doc, err = fetchACLED(t, f, c1)
	if err != nil || doc == nil {
		t.Fatalf("third fetch: %v, %v", doc, err)
	}
	if got, want := acledIDs(t, doc), []string{"TST2004", "TST2005", "TST2006"}; !slices.Equal(got, want) {
		t.Errorf("third fetch ids %v, want %v (the records at the old mark and the new one)", got, want)
	}
	c3 := doc.Cursor
	if got := parseACLEDCursor(c3); got.Events.TS != 1767484800 || got.Deleted != parseACLEDCursor(c1).Deleted {
		t.Errorf("third cursor %+v", got)
	}

	// A record changed in the same second as the mark is new too.
	fake.add(t, false, `{"event_id_cnty":"TST2007","event_date":"2026-12-04","sub_event_type":"Grenade","latitude":"47.6","longitude":"37.5","geo_precision":"1","timestamp":1767484800}`)
	doc, err = fetchACLED(t, f, c3)
	if err != nil || doc == nil {
		t.Fatalf("fourth fetch: %v, %v", doc, err)
	}
	if got, want := acledIDs(t, doc), []string{"TST2006", "TST2007"}; !slices.Equal(got, want) {
		t.Errorf("fourth fetch ids %v, want %v", got, want)
	}
	if doc, err := fetchACLED(t, f, doc.Cursor); doc != nil || err != nil {
		t.Errorf("fifth fetch: document %v, error %v; want none", doc, err)
	}
}

func TestACLEDAPIDeleted(t *testing.T) {
	fake, srv := newACLEDFake(t)
	f := newTestACLEDAPI(srv, ACLEDAPIOptions{PageSize: 2})
	doc, err := fetchACLED(t, f, "")
	if err != nil || doc == nil {
		t.Fatalf("first fetch: %v, %v", doc, err)
	}
	c1 := doc.Cursor
	fake.add(t, true, `{"event_id_cnty":"TST1999","deleted_timestamp":"1767300000"}`) // before the cursor
	fake.add(t, true, `{"event_id_cnty":"TST2003","deleted_timestamp":"1767400000"}`)
	fake.add(t, true, `{"event_id_cnty":"TST2001","deleted_timestamp":1767400000}`)
	fake.add(t, true, `{"event_id_cnty":"TST2003","deleted_timestamp":"1767400000"}`) // listed twice

	doc, err = fetchACLED(t, f, c1)
	if err != nil || doc == nil {
		t.Fatalf("fetch with deletions: %v, %v", doc, err)
	}
	if want := []string{"TST2003", "TST2001"}; !slices.Equal(doc.Deleted, want) {
		t.Errorf("deleted %v, want %v", doc.Deleted, want)
	}
	rec := decodeDoc(t, NewACLED(ACLEDOptions{}), *doc)
	if len(rec.incidents)+len(rec.rejects) != 0 {
		t.Errorf("deletions-only document has rows: %v %v", rec.incidents, rec.rejects)
	}
	c2 := parseACLEDCursor(doc.Cursor)
	if c2.Deleted.TS != 1767400000 || c2.Events != parseACLEDCursor(c1).Events {
		t.Errorf("cursor after deletions %+v", c2)
	}

	doc, err = fetchACLED(t, f, doc.Cursor)
	if err != nil || doc != nil {
		t.Fatalf("fetch after deletions: document %v, error %v; want none", doc, err)
	}
	reqs := fake.takeRequests()
	last := reqs[len(reqs)-1]
	if last.Path != "/deleted/read" || last.Query().Get("deleted_timestamp") != "1767400000" {
		t.Errorf("last deletions request %s, want deleted_timestamp=1767400000", last)
	}
}

func TestWatermark(t *testing.T) {
	a := mark([]stamped{{"x", 5}, {"y", 9}, {"z", 9}, {"w", 1}})
	tests := []struct {
		name  string
		recs  []stamped
		equal bool
	}{
		{"same records in another order", []stamped{{"z", 9}, {"w", 1}, {"y", 9}, {"x", 5}}, true},
		{"older records differ", []stamped{{"y", 9}, {"z", 9}}, true},
		{"one more at the mark", []stamped{{"y", 9}, {"z", 9}, {"v", 9}}, false},
		{"one fewer at the mark", []stamped{{"y", 9}, {"x", 5}}, false},
		{"a newer record", []stamped{{"y", 9}, {"z", 9}, {"v", 10}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mark(tt.recs); (got == a) != tt.equal {
				t.Errorf("mark %+v vs %+v: equal %v, want %v", got, a, got == a, tt.equal)
			}
		})
	}
	if a.TS != 9 || len(a.IDs) != 64 {
		t.Errorf("mark %+v", a)
	}
	if z := mark(nil); z != (watermark{}) {
		t.Errorf("mark of nothing %+v", z)
	}
}

func TestACLEDCursorRoundTrip(t *testing.T) {
	tests := []acledCursor{
		{},
		{Events: watermark{TS: 1767398400, IDs: "ab"}},
		{Events: watermark{TS: 1, IDs: "cd"}, Deleted: watermark{TS: 2, IDs: "ef"}},
	}
	for _, c := range tests {
		t.Run(c.String(), func(t *testing.T) {
			if got := parseACLEDCursor(c.String()); got != c {
				t.Errorf("round trip %+v → %q → %+v", c, c.String(), got)
			}
		})
	}
	for _, bad := range []string{"%zz", "ts=-5", "ts=abc"} {
		if got := parseACLEDCursor(bad); got.Events.TS != 0 {
			t.Errorf("cursor %q gave %+v, want time 0", bad, got)
		}
	}
}
