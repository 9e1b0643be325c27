package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// gedBase is an invented GED event; gedDoc overrides its fields by name.
var gedBase = map[string]string{
	"id": "900001", "relid": "UKR-2015-1-900-1", "year": "2015", "active_year": "True",
	"type_of_violence": "1", "conflict_name": "Ukraine: Novorossiya", "dyad_name": "Government of Ukraine - DPR",
	"source_article": "\"Wire,2015-01-20,Shelling near the airport\"", "where_prec": "1",
	"where_coordinates": "Pisky village", "adm_1": "Donetsk oblast", "latitude": "48.1",
	"longitude": "37.65", "date_prec": "1", "date_start": "2015-01-20", "date_end": "2015-01-20",
	"best": "2", "high": "3", "low": "2",
}

// gedDoc writes a GED CSV document, with the standard header when header
// is set, of one row per override map.
func gedDoc(t testing.TB, header bool, rows ...map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	cols := gedColumns()
	if header {
		if err := w.Write(cols); err != nil {
			t.Fatal(err)
		}
	}
	for _, over := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			v, ok := over[c]
			if !ok {
				v = gedBase[c]
			}
			rec[i] = v
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.Bytes()
}

// decodeBytes decodes doc with d into a recorder, checking every incident.
func decodeBytes(t testing.TB, d monitor.Decoder, doc []byte) *recorder {
	t.Helper()
	var rec recorder
	if err := d.Decode(bytes.NewReader(doc), "test", &rec); err != nil {
		t.Fatalf("decode: %v", err)
	}
	for i := range rec.incidents {
		checkIncident(t, &rec.incidents[i])
	}
	return &rec
}

func TestUCDPRows(t *testing.T) {
	day := time.Date(2015, 1, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		over   map[string]string
		reason monitor.RejectReason // "" when accepted
		at     time.Time
		uncM   float64
		cat    monitor.Category
	}{
		{"iso date", nil, "", day, 1_000, monitor.ArmedClash},
		{"iso date-time with fraction", map[string]string{"date_start": "2015-01-20 13:45:00.000"}, "", day.Add(13*time.Hour + 45*time.Minute), 1_000, monitor.ArmedClash},
		{"iso with T", map[string]string{"date_start": "2015-01-20T13:45:00"}, "", day.Add(13*time.Hour + 45*time.Minute), 1_000, monitor.ArmedClash},
		{"month-first AM", map[string]string{"date_start": "1/20/2015 12:00:00 AM"}, "", day, 1_000, monitor.ArmedClash},
		{"month-first PM", map[string]string{"date_start": "1/20/2015 1:30:00 PM"}, "", day.Add(13*time.Hour + 30*time.Minute), 1_000, monitor.ArmedClash},
		{"month-first 24h", map[string]string{"date_start": "01/20/2015 00:00"}, "", day, 1_000, monitor.ArmedClash},
		{"month-first date only", map[string]string{"date_start": "1/20/2015"}, "", day, 1_000, monitor.ArmedClash},
		{"day-first cannot parse", map[string]string{"date_start": "20/01/2015 00:00"}, monitor.ReasonBadTime, time.Time{}, 0, ""},
		{"year disagrees", map[string]string{"date_start": "12/31/2014 00:00"}, monitor.ReasonBadTime, time.Time{}, 0, ""},
		{"year unreadable", map[string]string{"year": "fifteen"}, monitor.ReasonBadTime, time.Time{}, 0, ""},
		{"impossible date", map[string]string{"date_start": "2015-02-30"}, monitor.ReasonBadTime, time.Time{}, 0, ""},
		{"within 25 km", map[string]string{"where_prec": "2"}, "", day, 25_000, monitor.ArmedClash},
		{"district", map[string]string{"where_prec": "3"}, "", day, 50_000, monitor.ArmedClash},
		{"province", map[string]string{"where_prec": "4"}, "", day, 100_000, monitor.ArmedClash},
		{"linear feature", map[string]string{"where_prec": "5"}, "", day, 100_000, monitor.ArmedClash},
		{"country only", map[string]string{"where_prec": "6"}, monitor.ReasonNotSpatial, time.Time{}, 0, ""},
		{"waters", map[string]string{"where_prec": "7"}, monitor.ReasonNotSpatial, time.Time{}, 0, ""},
		{"unknown precision", map[string]string{"where_prec": "8"}, monitor.ReasonBadPrecision, time.Time{}, 0, ""},
		{"empty precision", map[string]string{"where_prec": ""}, monitor.ReasonBadPrecision, time.Time{}, 0, ""},
		{"non-state", map[string]string{"type_of_violence": "2"}, "", day, 1_000, monitor.ArmedClash},
		{"one-sided", map[string]string{"type_of_violence": "3"}, "", day, 1_000, monitor.Other},
		{"unknown violence type", map[string]string{"type_of_violence": "4"}, monitor.ReasonBadCategory, time.Time{}, 0, ""},
		{"no id", map[string]string{"id": " "}, monitor.ReasonMissingID, time.Time{}, 0, ""},
		{"bad latitude", map[string]string{"latitude": "48,1"}, monitor.ReasonBadCoordinate, time.Time{}, 0, ""},
		{"latitude out of range", map[string]string{"latitude": "148.1"}, monitor.ReasonOutOfRange, time.Time{}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := decodeBytes(t, NewUCDP(UCDPOptions{}), gedDoc(t, true, tt.over))
			if tt.reason != "" {
				if len(rec.rejects) != 1 || rec.rejects[0].Reason != tt.reason || rec.rejects[0].Line != 2 {
					t.Fatalf("rejects %v, accepted %d; want one %s on line 2", rec.rejects, len(rec.incidents), tt.reason)
				}
				return
			}
			if len(rec.incidents) != 1 {
				t.Fatalf("accepted %d, rejects %v; want 1", len(rec.incidents), rec.rejects)
			}
			inc := rec.incidents[0]
			if inc.ID != "900001" || !inc.OccurredAt.Equal(tt.at) || inc.UncertaintyM != tt.uncM || inc.Category != tt.cat ||
				inc.Lat != 48.1 || inc.Lon != 37.65 || inc.Confidence != -1 {
				t.Errorf("got %+v, want at %v, uncertainty %v, category %s", inc, tt.at, tt.uncM, tt.cat)
			}
		})
	}
}

func TestUCDPOptions(t *testing.T) {
	doc := gedDoc(t, true,
		map[string]string{"id": "1", "type_of_violence": "3"},
		map[string]string{"id": "2", "where_prec": "6"},
		map[string]string{"id": "3", "where_prec": "7"},
		map[string]string{"id": "4", "type_of_violence": "2"})
	o := UCDPOptions{Categories: map[int]monitor.Category{3: monitor.Shelling, 2: "fire"}, KeepNotSpatial: true}
	rec := decodeBytes(t, NewUCDP(o), doc)
	want := []struct {
		id   string
		cat  monitor.Category
		uncM float64
	}{{"1", monitor.Shelling, 1_000}, {"2", monitor.ArmedClash, 500_000}, {"3", monitor.ArmedClash, 100_000}}
	if len(rec.incidents) != len(want) {
		t.Fatalf("accepted %d, rejects %v; want %d", len(rec.incidents), rec.rejects, len(want))
	}
	for i, w := range want {
		if inc := rec.incidents[i]; inc.ID != w.id || inc.Category != w.cat || inc.UncertaintyM != w.uncM {
			t.Errorf("incident %d: %+v, want id %s, %s, %v m", i, inc, w.id, w.cat, w.uncM)
		}
	}
	if len(rec.rejects) != 1 || rec.rejects[0].Reason != monitor.ReasonBadCategory || rec.rejects[0].Line != 5 {
		t.Errorf("rejects %v, want type 2 mapped to an invalid category rejected on line 5", rec.rejects)
	}
	if o.Categories[1] != "" {
		t.Errorf("NewUCDP changed the caller's map: %v", o.Categories)
	}
}

func TestUCDPDocument(t *testing.T) {
	rows := []map[string]string{
		{"id": "1", "source_article": "first line\nsecond \"line\""},
		{"id": "2", "conflict_name": "Ukraine: Novorossiya \x92s"},
		{"id": "1"},
		{"id": "3", "date_start": "1/21/2015 12:00:00 AM"},
	}
	utf8Rows := []map[string]string{rows[0], {"id": "2", "conflict_name": "Ukraine: Novorossiya ’s"}, rows[2], rows[3]}
	tests := []struct {
		name      string
		doc       []byte
		firstLine int // line of the first record
	}{
		{"header, cp1252", gedDoc(t, true, rows...), 2},
		{"no header, cp1252", gedDoc(t, false, rows...), 1},
		{"header, utf-8", gedDoc(t, true, utf8Rows...), 2},
		{"header, utf-8 with BOM", append([]byte("\xef\xbb\xbf"), gedDoc(t, true, utf8Rows...)...), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := decodeBytes(t, NewUCDP(UCDPOptions{}), tt.doc)
			if len(rec.incidents) != 3 || len(rec.rejects) != 1 {
				t.Fatalf("accepted %d, rejects %v; want 3 and one duplicate", len(rec.incidents), rec.rejects)
			}
			// Record 1 spans two lines, so the duplicate starts 3 lines after it.
			if rj := rec.rejects[0]; rj.Reason != monitor.ReasonDuplicateInFile || rj.Line != tt.firstLine+3 {
				t.Errorf("reject %+v, want duplicate_in_batch on line %d", rj, tt.firstLine+3)
			}
			var raw map[string]string
			if err := json.Unmarshal([]byte(rec.incidents[1].Raw), &raw); err != nil {
				t.Fatal(err)
			}
			if raw["conflict_name"] != "Ukraine: Novorossiya ’s" || raw["best"] != "2" || raw["where_prec"] != "1" || raw["type_of_violence"] != "1" {
				t.Errorf("raw %s: want the conflict name decoded and best, where_prec, type_of_violence kept", rec.incidents[1].Raw)
			}
			if _, ok := raw["source_article"]; ok || len(raw) != len(ucdpRawColumns) {
				t.Errorf("raw %s: want exactly the %d evidence columns", rec.incidents[1].Raw, len(ucdpRawColumns))
			}
			if got := rec.incidents[2].OccurredAt; !got.Equal(time.Date(2015, 1, 21, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("third incident at %v", got)
			}
		})
	}
}

func TestUCDPDocumentErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "empty document"},
		{"missing date_start", "id,latitude,longitude,where_prec,type_of_violence\n1,48,37,1,1\n", `"date_start"`},
		{"firms file", "latitude,longitude,acq_date\n48,37,2022-01-01\n", `"id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			err := NewUCDP(UCDPOptions{}).Decode(strings.NewReader(tt.doc), "doc.csv", &rec)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "doc.csv") {
				t.Errorf("error %v, want it to name doc.csv and %s", err, tt.want)
			}
		})
	}
}

func TestUCDPHeaderlessShortRows(t *testing.T) {
	rec := decodeBytes(t, NewUCDP(UCDPOptions{}), []byte("just,some\nwords,here\n"))
	if len(rec.incidents) != 0 || len(rec.rejects) != 2 || rec.rejects[0].Line != 1 || rec.rejects[0].Reason != monitor.ReasonShortRow {
		t.Errorf("accepted %d, rejects %v; want two short rows from line 1", len(rec.incidents), rec.rejects)
	}
}
