package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestJSONStringBytes(t *testing.T) {
	tests := []struct {
		name, raw, want string
		valid           bool
	}{
		{"plain", `"abc"`, "abc", true},
		{"escapes", `"a\"b\\c\/d\n\t"`, "a\"b\\c/d\n\t", true},
		{"BMP escape", `"\u00e9"`, "é", true},
		{"escaped replacement character is valid", `"u\ufffd"`, "u\uFFFD", true},
		{"literal replacement character is valid", "\"u\uFFFD\"", "u\uFFFD", true},
		{"surrogate pair", `"\ud83d\ude00"`, "😀", true},
		{"invalid byte kept", "\"u\xff\"", "u\xff", false},
		{"another invalid byte differs", "\"u\xfe\"", "u\xfe", false},
		{"lone low surrogate", `"u\udcff"`, "u\xed\xb3\xbf", false},
		{"lone high surrogate then text", `"\ud83dx"`, "\xed\xa0\xbdx", false},
		{"high surrogate then a non-surrogate escape", `"\ud83d\u0041"`, "\xed\xa0\xbdA", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsonStringBytes([]byte(tt.raw))
			if got != tt.want || utf8.ValidString(got) != tt.valid {
				t.Errorf("jsonStringBytes(%q) = %q (valid %v), want %q (valid %v)", tt.raw, got, utf8.ValidString(got), tt.want, tt.valid)
			}
		})
	}
}

// Two ids that differ only in invalid UTF-8 must never become one: each is
// rejected as invalid_id, in every format, and a valid id that holds U+FFFD
// is kept.
func TestInvalidUTF8IDs(t *testing.T) {
	const tm = `"time":"2026-12-01T10:00:00Z","lat":48.1,"lon":37.1,"category":"shelling"`
	jsonl := "{\"id\":\"u\xff\"," + tm + "}\n{\"id\":\"u\xfe\"," + tm + "}\n" +
		`{"id":"v\udcff",` + tm + "}\n" + `{"id":"v\udcfe",` + tm + "}\n" + `{"id":"w\ufffd",` + tm + "}\n"
	feature := func(id, props string) string {
		return `{"type":"Feature","id":` + id + `,"geometry":{"type":"Point","coordinates":[37.1,48.1]},"properties":{"time":"2026-12-01T10:00:00Z","category":"shelling"` + props + `}}`
	}
	geojson := `{"type":"FeatureCollection","features":[` + strings.Join([]string{
		feature("\"u\xff\"", ""), feature("\"u\xfe\"", ""), feature(`"x"`, `,"id":"v\udcff"`), feature(`"y"`, `,"id":"v\udcfe"`),
		feature("\"w\ufffd\"", ""),
	}, ",") + `]}`
	csvDoc := "id,time,lat,lon,category\nu\xff,2026-12-01,48.1,37.1,shelling\nu\xfe,2026-12-01,48.1,37.1,shelling\nw\uFFFD,2026-12-01,48.1,37.1,shelling\n"
	csvDec, err := NewCSV(CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	if err != nil {
		t.Fatal(err)
	}
	acled, err := os.ReadFile(filepath.Join("testdata", "acled_events.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(acled), "\n", 3)
	acledDoc := lines[0] + "\n" + strings.Replace(lines[1], "TST1001", "u\xff", 1) + "\n" +
		strings.Replace(lines[1], "TST1001", "u\xfe", 1) + "\n" + strings.Replace(lines[1], "TST1001", "w\uFFFD", 1) + "\n"
	tests := []struct {
		name    string
		dec     monitor.Decoder
		doc     string
		invalid int
	}{
		{"jsonl", NewJSONLines(PointOptions{}), jsonl, 4},
		{"geojson", NewGeoJSONPoints(PointOptions{}), geojson, 4},
		{"csv", csvDec, csvDoc, 2},
		{"acled", NewACLED(ACLEDOptions{}), acledDoc, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := decodeBytes(t, tt.dec, []byte(tt.doc))
			if got := rec.byReason(); got[monitor.ReasonInvalidID] != tt.invalid || len(got) != 1 {
				t.Errorf("rejects %v, want %d invalid_id and nothing else", got, tt.invalid)
			}
			if len(rec.incidents) != 1 || rec.incidents[0].ID != "w\uFFFD" {
				t.Errorf("incidents %+v, want only w\uFFFD", rec.incidents)
			}
		})
	}
}

func TestCellTextKeepsInvalidUTF8(t *testing.T) {
	a, err1 := cellText([]byte("\"u\xff\""))
	b, err2 := cellText([]byte(`"u\udcfe"`))
	c, err3 := cellText([]byte(`"u\ufffd"`))
	if err1 != nil || err2 != nil || err3 != nil || a == b || utf8.ValidString(a) || utf8.ValidString(b) || c != "u\uFFFD" {
		t.Errorf("cellText: %q %q %q (%v %v %v): want two distinct invalid strings and u\uFFFD", a, b, c, err1, err2, err3)
	}
}
