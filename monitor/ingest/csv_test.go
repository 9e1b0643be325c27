package ingest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestNewCSVValidates(t *testing.T) {
	base := CSVOptions{Lat: "lat", Lon: "lon", Time: "t"}
	tests := []struct {
		name string
		edit func(*CSVOptions)
		want string // substring of the error; "" for none
	}{
		{"minimal", func(*CSVOptions) {}, ""},
		{"no lat", func(o *CSVOptions) { o.Lat = "" }, "required"},
		{"no time", func(o *CSVOptions) { o.Time = "" }, "required"},
		{"bad default category", func(o *CSVOptions) { o.DefaultCategory = "fire" }, "default category"},
		{"negative uncertainty", func(o *CSVOptions) { o.UncertaintyM = -1 }, "uncertainty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.edit(&o)
			_, err := NewCSV(o)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("NewCSV error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCSVColumns(t *testing.T) {
	d, err := NewCSV(CSVOptions{Lat: "lat", Lon: "lon", Time: "when", ID: "event_id", Category: "kind",
		Confidence: "conf", DefaultCategory: monitor.Explosion, UncertaintyM: 250})
	if err != nil {
		t.Fatal(err)
	}
	rec := decodeFile(t, d, filepath.Join("testdata", "events.csv"))
	wantInc := []monitor.Incident{
		{ID: "ev-1", OccurredAt: time.Date(2023, 4, 5, 4, 7, 8, 0, time.UTC), Lat: 47.1, Lon: 37.5, UncertaintyM: 250, Category: monitor.Shelling, Confidence: 80},
		{ID: "ev-2", OccurredAt: time.Date(2023, 4, 5, 10, 0, 0, 0, time.UTC), Lat: 47.2, Lon: 37.6, UncertaintyM: 250, Category: monitor.Explosion, Confidence: 40},
		{ID: "ev-3", OccurredAt: time.Date(2023, 4, 5, 11, 30, 0, 0, time.UTC), Lat: 47.3, Lon: 37.7, UncertaintyM: 250, Category: monitor.AirStrike, Confidence: -1},
	}
	if len(rec.incidents) != len(wantInc) {
		t.Fatalf("accepted %d, want %d; rejects %v", len(rec.incidents), len(wantInc), rec.rejects)
	}
	for i, w := range wantInc {
		got := rec.incidents[i]
		got.Raw = ""
		if got != w {
			t.Errorf("incident %d\n got %+v\nwant %+v", i, got, w)
		}
	}
	if want := `{"event_id":"ev-1","when":"2023-04-05T06:07:08+02:00","Lat":"47.1","Lon":"37.5","kind":"Shelling","conf":"h","note":"two impacts, \"heavy\""}`; rec.incidents[0].Raw != want {
		t.Errorf("raw\n got %s\nwant %s", rec.incidents[0].Raw, want)
	}
	if !strings.Contains(rec.incidents[2].Raw, `multi\nline`) {
		t.Errorf("multi-line field lost: %s", rec.incidents[2].Raw)
	}
	wantRej := []reject{
		{Line: 6, Reason: monitor.ReasonMissingID}, {Line: 7, Reason: monitor.ReasonBadCategory},
		{Line: 8, Reason: monitor.ReasonBadConfidence}, {Line: 9, Reason: monitor.ReasonDuplicateInFile},
		{Line: 10, Reason: monitor.ReasonBadTime},
	}
	if len(rec.rejects) != len(wantRej) {
		t.Fatalf("rejects %v, want %v", rec.rejects, wantRej)
	}
	for i, w := range wantRej {
		t.Run(string(w.Reason), func(t *testing.T) {
			if g := rec.rejects[i]; g.Line != w.Line || g.Reason != w.Reason || g.Err == nil {
				t.Errorf("reject %+v, want line %d %s", g, w.Line, w.Reason)
			}
		})
	}
}

func TestCSVTimeFormatsAndIDs(t *testing.T) {
	tests := []struct {
		name, layout, value string
		want                time.Time
		wantID              string
	}{
		{"date", "", "2022-02-24", time.Date(2022, 2, 24, 0, 0, 0, 0, time.UTC), "2022-02-24/48.5/35"},
		{"space", "", "2022-02-24 04:05:06", time.Date(2022, 2, 24, 4, 5, 6, 0, time.UTC), "2022-02-24T04:05:06Z/48.5/35"},
		{"T no zone", "", "2022-02-24T04:05:00", time.Date(2022, 2, 24, 4, 5, 0, 0, time.UTC), "2022-02-24T04:05Z/48.5/35"},
		{"RFC 3339 offset", "", "2022-02-24T06:05:00+02:00", time.Date(2022, 2, 24, 4, 5, 0, 0, time.UTC), "2022-02-24T04:05Z/48.5/35"},
		{"layout", "02/01/2006", "24/02/2022", time.Date(2022, 2, 24, 0, 0, 0, 0, time.UTC), "2022-02-24/48.5/35"},
		{"impossible date", "", "2022-02-30", time.Time{}, ""},
		{"zero", "", "0001-01-01", time.Time{}, ""},
		{"garbage", "", "yesterday", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewCSV(CSVOptions{Lat: "y", Lon: "x", Time: "t", TimeFormat: tt.layout})
			if err != nil {
				t.Fatal(err)
			}
			var rec recorder
			doc := "y,x,t\n48.50,35.0," + tt.value + "\n"
			if err := d.Decode(strings.NewReader(doc), "doc", &rec); err != nil {
				t.Fatal(err)
			}
			if tt.want.IsZero() {
				if len(rec.rejects) != 1 || rec.rejects[0].Reason != monitor.ReasonBadTime || rec.rejects[0].Line != 2 {
					t.Errorf("rejects %v, want one bad_time on line 2", rec.rejects)
				}
				return
			}
			if len(rec.incidents) != 1 {
				t.Fatalf("rejects %v", rec.rejects)
			}
			inc := rec.incidents[0]
			if !inc.OccurredAt.Equal(tt.want) || inc.OccurredAt.Location() != time.UTC || inc.ID != tt.wantID || inc.Category != monitor.Other {
				t.Errorf("got %v %q %s, want %v %q other", inc.OccurredAt, inc.ID, inc.Category, tt.want, tt.wantID)
			}
		})
	}
}

func TestCSVMissingColumn(t *testing.T) {
	d, err := NewCSV(CSVOptions{Lat: "LATITUDE", Lon: "LONGITUDE", Time: "ACQ_DATE", Category: "kind"})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Decode(strings.NewReader("latitude,longitude,acq_date\n1,2,2022-01-01\n"), "archive.csv", &recorder{})
	if err == nil || !strings.Contains(err.Error(), "archive.csv") || !strings.Contains(err.Error(), `"kind"`) {
		t.Errorf("error %v, want one naming archive.csv and column kind", err)
	}
}
