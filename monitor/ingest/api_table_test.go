package ingest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestCellText(t *testing.T) {
	tests := []struct {
		raw, want string
		err       bool
	}{
		{`"Millbrook"`, "Millbrook", false},
		{`"a \"b\"\nc"`, "a \"b\"\nc", false},
		{`48.01230`, "48.01230", false},
		{`-1e3`, "-1e3", false},
		{`true`, "true", false},
		{`null`, "", false},
		{``, "", false},
		{`{"a": [1, 2]}`, `{"a":[1,2]}`, false},
		{`"unterminated`, "", true},
		{`{"a":`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := cellText(json.RawMessage(tt.raw))
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("cellText(%s) = %q, %v; want %q, error %v", tt.raw, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestAPIRecordsHeader(t *testing.T) {
	var r apiRecords
	for _, obj := range []string{`{"z":1,"id":2,"b":3}`, `{"a":1,"latitude":2}`, `{"id":3}`} {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(obj), &m); err != nil {
			t.Fatal(err)
		}
		if _, err := r.add(m); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		preferred []string
		want      []string
	}{
		{"sorted", nil, []string{"a", "b", "id", "latitude", "z"}},
		{"preferred first", []string{"id", "missing", "latitude", "id"}, []string{"id", "latitude", "a", "b", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.header(tt.preferred); !slices.Equal(got, tt.want) {
				t.Errorf("header %v, want %v", got, tt.want)
			}
		})
	}
	b, err := writeCSV(r.header(nil), r.rows)
	if want := "a,b,id,latitude,z\n,3,2,,1\n1,,,2,\n,,3,,\n"; err != nil || string(b) != want {
		t.Errorf("csv %q, %v; want %q", b, err, want)
	}
}

// FuzzAPIRecordsCSV checks that any text values survive the CSV document
// as the package's table reader reads it, line ends as \n.
func FuzzAPIRecordsCSV(f *testing.F) {
	f.Add("Millbrook", "48.0123", "a \"quoted\", multi\nline value")
	f.Add("", " lead", "\r\n")
	f.Add("\ufeffbom", "=1+1", `\`)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		rows := []map[string]string{{"id": "1", "x": a, "y": b}, {"id": "2", "x": c}}
		content, err := writeCSV([]string{"id", "x", "y"}, rows)
		if err != nil {
			t.Fatalf("write: %v", err)
		}
		tb, err := newTable(strings.NewReader(string(content)), "fuzz")
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		var rec recorder
		err = tb.each(&rec, false, func(rec []string, inc *monitor.Incident) (monitor.RejectReason, error) {
			inc.ID = rec[0]
			inc.Raw = strings.Join(rec, "|")
			return "", nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// encoding/csv reads \r\n inside a quoted field as \n.
		n := strings.NewReplacer("\r\n", "\n").Replace
		want := []string{n("1|" + a + "|" + b), n("2|" + c + "|")}
		if len(rec.rejects) != 0 || len(rec.incidents) != 2 || rec.incidents[0].Raw != want[0] || rec.incidents[1].Raw != want[1] {
			t.Errorf("read back %+v %+v, want %q", rec.incidents, rec.rejects, want)
		}
	})
}
