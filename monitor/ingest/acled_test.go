package ingest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestACLEDFixture(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	want := []monitor.Incident{
		{ID: "TST1001", OccurredAt: day(1), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 2_000, Category: monitor.Shelling, Confidence: -1},
		{ID: "TST1002", OccurredAt: day(1), Lat: 48.2, Lon: 37.9, UncertaintyM: 25_000, Category: monitor.AirStrike, Confidence: -1},
		{ID: "TST1003", OccurredAt: day(2), Lat: 47.9, Lon: 37.7, UncertaintyM: 2_000, Category: monitor.ArmedClash, Confidence: -1},
		{ID: "TST1004", OccurredAt: day(2), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 2_000, Category: monitor.Explosion, Confidence: -1},
		{ID: "TST1005", OccurredAt: day(3), Lat: 48.05, Lon: 37.8012, UncertaintyM: 2_000, Category: monitor.Explosion, Confidence: -1},
		{ID: "TST1006", OccurredAt: day(3), Lat: 48.06, Lon: 37.8012, UncertaintyM: 2_000, Category: monitor.Other, Confidence: -1},
	}
	precision3 := monitor.Incident{ID: "TST1007", OccurredAt: day(4), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 100_000, Category: monitor.Shelling, Confidence: -1}
	otherRejects := []reject{
		{Line: 10, Reason: monitor.ReasonBadTime}, {Line: 11, Reason: monitor.ReasonBadPrecision}, {Line: 12, Reason: monitor.ReasonMissingID},
		{Line: 13, Reason: monitor.ReasonDuplicateInFile}, {Line: 14, Reason: monitor.ReasonOutOfRange},
	}
	tests := []struct {
		name    string
		opts    ACLEDOptions
		want    []monitor.Incident
		rejects []reject // Err not compared
	}{
		{"default", ACLEDOptions{}, want, append([]reject{{Line: 9, Reason: monitor.ReasonNotSpatial}}, otherRejects...)},
		{"keep precision 3", ACLEDOptions{KeepPrecision3: true}, append(want[:6:6], precision3), otherRejects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := decodeFile(t, NewACLED(tt.opts), filepath.Join("testdata", "acled_events.csv"))
			if len(rec.incidents) != len(tt.want) {
				t.Fatalf("accepted %d, want %d; rejects %v", len(rec.incidents), len(tt.want), rec.rejects)
			}
			for i, w := range tt.want {
				got := rec.incidents[i]
				got.Raw = ""
				if got != w {
					t.Errorf("incident %d\n got %+v\nwant %+v", i, got, w)
				}
			}
			if len(rec.rejects) != len(tt.rejects) {
				t.Fatalf("rejects %v, want %v", rec.rejects, tt.rejects)
			}
			for i, w := range tt.rejects {
				if got := rec.rejects[i]; got.Line != w.Line || got.Reason != w.Reason || got.Err == nil {
					t.Errorf("reject %d: %+v, want line %d %s", i, got, w.Line, w.Reason)
				}
			}
		})
	}
}

func TestACLEDRawKeepsOnlyAllowedFields(t *testing.T) {
	rec := decodeFile(t, NewACLED(ACLEDOptions{}), filepath.Join("testdata", "acled_events.csv"))
	wantFirst := `{"event_id_cnty":"TST1001","event_date":"2026-12-01","sub_event_type":"Shelling/artillery/missile attack","geo_precision":"1","time_precision":"1","fatalities":"0","fatalities_note":"` + FatalitiesNote + `"}`
	if rec.incidents[0].Raw != wantFirst {
		t.Errorf("raw\n got %s\nwant %s", rec.incidents[0].Raw, wantFirst)
	}
	allowed := map[string]bool{"event_id_cnty": true, "event_date": true, "sub_event_type": true, "geo_precision": true,
		"time_precision": true, "fatalities": true, "fatalities_note": true}
	for _, inc := range rec.incidents {
		var raw map[string]string
		if err := json.Unmarshal([]byte(inc.Raw), &raw); err != nil {
			t.Fatal(err)
		}
		for k := range raw {
			if !allowed[k] {
				t.Errorf("incident %s raw has %q: %s", inc.ID, k, inc.Raw)
			}
		}
		if _, noted := raw["fatalities_note"]; noted != (raw["fatalities"] == "0") {
			t.Errorf("incident %s raw %s: the note belongs exactly to a count of 0", inc.ID, inc.Raw)
		}
		for _, banned := range []string{"Millbrook", "Military Forces", "Example Wire"} {
			if strings.Contains(inc.Raw, banned) {
				t.Errorf("incident %s raw %s holds %q from notes, actors or sources", inc.ID, inc.Raw, banned)
			}
		}
	}
}

func TestACLEDCategoryOverrides(t *testing.T) {
	o := ACLEDOptions{Categories: map[string]monitor.Category{" GRENADE ": monitor.Shelling, "Peaceful protest": "riot"}}
	rec := decodeFile(t, NewACLED(o), filepath.Join("testdata", "acled_events.csv"))
	got := map[string]monitor.Category{}
	for _, inc := range rec.incidents {
		got[inc.ID] = inc.Category
	}
	if got["TST1005"] != monitor.Shelling || got["TST1001"] != monitor.Shelling || got["TST1003"] != monitor.ArmedClash {
		t.Errorf("categories %v: want the grenade overridden and the defaults kept", got)
	}
	if _, ok := got["TST1006"]; ok || rec.byReason()[monitor.ReasonBadCategory] != 1 {
		t.Errorf("rejects %v: want the protest mapped to an unknown category rejected", rec.byReason())
	}
}

func TestParseACLEDDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero for an error
	}{
		{"2022-02-24", time.Date(2022, 2, 24, 0, 0, 0, 0, time.UTC)},
		{" 24 February 2022 ", time.Date(2022, 2, 24, 0, 0, 0, 0, time.UTC)},
		{"04 March 2022", time.Date(2022, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"4 Mar 2022", time.Date(2022, 3, 4, 0, 0, 0, 0, time.UTC)},
		{"2022-02-30", time.Time{}},
		{"24/02/2022", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseACLEDDate(tt.in)
			if tt.want.IsZero() != (err != nil) || !got.Equal(tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestACLEDMissingColumn(t *testing.T) {
	var rec recorder
	err := NewACLED(ACLEDOptions{}).Decode(strings.NewReader("event_id_cnty,event_date,sub_event_type,latitude,longitude\nX1,2022-01-01,Armed clash,48,37\n"), "acled.csv", &rec)
	if err == nil || !strings.Contains(err.Error(), `"geo_precision"`) || !strings.Contains(err.Error(), "acled.csv") {
		t.Errorf("error %v, want it to name acled.csv and geo_precision", err)
	}
}
