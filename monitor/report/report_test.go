package report

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestBuildCounts(t *testing.T) {
	r := Build(fixtureInput(start.Add(3*monitor.Day + time.Hour)))
	if r.Totals.Violations != 4 || r.Totals.Ambiguous != 1 || r.Totals.ZonesWithViolations != 2 {
		t.Errorf("totals = %+v, want 4 violations, 1 ambiguous, 2 zones", r.Totals)
	}
	if len(r.Violations) != 5 {
		t.Errorf("%d violations listed, want 5 (other trials and zones left out, ambiguous kept)", len(r.Violations))
	}
	north := r.Zones[0]
	if north.ID != "north" || north.Inside != 2 || north.Buffer != 1 || north.Ambiguous != 1 {
		t.Errorf("north = %+v", north)
	}
	if !slices.Equal(north.PerDay, []int{2, 0, 1, 0}) {
		t.Errorf("north per day = %v, want [2 0 1 0]", north.PerDay)
	}
	if want := []CategoryCount{{monitor.Shelling, 2}, {monitor.AirStrike, 1}}; !slices.Equal(north.ByCategory, want) {
		t.Errorf("north by category = %v, want %v", north.ByCategory, want)
	}
	if r.Zones[2].Violations != 0 || r.Zones[2].Last != nil || r.Zones[2].Verdict != nil {
		t.Errorf("south = %+v, want nothing and no verdict", r.Zones[2])
	}
	if r.Verdicts.State != "not_judged" {
		t.Errorf("verdicts state = %q", r.Verdicts.State)
	}
	if got := r.Violations[1].Record; got != "/api/v1/incidents/field/a%2F1" {
		t.Errorf("record = %q, want the escaped path", got)
	}
	if len(r.Attributions()) != 1 || !strings.Contains(r.Attributions()[0], "FIRMS") {
		t.Errorf("attributions = %q, want FIRMS only (csv needs none)", r.Attributions())
	}
}

// TestDays checks the strip's days at the instants that matter: before the
// start, the first instant, the last instant of a day, and the end.
func TestDays(t *testing.T) {
	for _, tt := range []struct {
		name  string
		asOf  time.Time
		shown int
		now   int // 1-based day in progress, 0 for none
	}{
		{"before the start", start.Add(-time.Nanosecond), 0, 0},
		{"first instant", start, 1, 1},
		{"last instant of day 1", start.Add(monitor.Day - time.Nanosecond), 1, 1},
		{"first instant of day 2", start.Add(monitor.Day), 2, 2},
		{"last instant", start.Add(10*monitor.Day - time.Nanosecond), 10, 10},
		{"end", start.Add(10 * monitor.Day), 10, 0},
		{"long after", start.Add(100 * monitor.Day), 10, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := Build(fixtureInput(tt.asOf))
			if len(r.Days) != tt.shown {
				t.Fatalf("%d days shown, want %d", len(r.Days), tt.shown)
			}
			for _, d := range r.Days {
				want := "elapsed"
				if d.Day == tt.now {
					want = "in_progress"
				}
				if d.State != want || d.Coverage != "not_judged" {
					t.Errorf("day %d = %+v, want state %s", d.Day, d, want)
				}
			}
			for _, z := range r.Zones {
				if len(z.PerDay) != tt.shown {
					t.Errorf("zone %s has %d cells, want %d", z.ID, len(z.PerDay), tt.shown)
				}
			}
		})
	}
}

func TestJSONIsDeterministic(t *testing.T) {
	in := fixtureInput(start.Add(5 * monitor.Day))
	var a, b bytes.Buffer
	if err := Build(in).WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(in.Violations)
	if err := Build(in).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same violations in another order encode differently")
	}
	for _, key := range []string{`"trial"`, `"generated_at"`, `"verdicts"`, `"zones"`, `"days"`, `"violations"`, `"files"`, `"methods"`} {
		if !bytes.Contains(a.Bytes(), []byte(key)) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestCSV(t *testing.T) {
	r := Build(fixtureInput(start.Add(5 * monitor.Day)))
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\n") || strings.Count(buf.String(), "\r\n") != len(r.Violations)+1 {
		t.Errorf("want CRLF line ends, one line per violation and a header:\n%s", buf.String())
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if !slices.Equal(rows[0], csvHeader) || len(rows) != len(r.Violations)+1 {
		t.Fatalf("header %v and %d rows, want %v and %d", rows[0], len(rows), csvHeader, len(r.Violations)+1)
	}
	ids := map[string]bool{}
	for _, row := range rows[1:] {
		ids[row[5]] = true
		if len(row) != len(csvHeader) {
			t.Errorf("row %v has %d fields", row, len(row))
		}
	}
	for _, id := range []string{"a,2", `a"5`, "a/1"} {
		if !ids[id] {
			t.Errorf("id %q did not survive quoting", id)
		}
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(Input{Trial: fixtureTrial(), AsOf: start.Add(-time.Hour)}).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"(\w+)": null`).FindAllStringSubmatch(buf.String(), -1) {
		if m[1] != "first_violation" && m[1] != "last_violation" && m[1] != "verdict" && m[1] != "thermal" {
			t.Errorf("%s encodes as null", m[1])
		}
	}
	for _, key := range []string{`"days": []`, `"violations": []`, `"sources": []`, `"files": []`, `"coverage": []`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("want %s in\n%s", key, buf.String())
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Build(fixtureInput(start)).Write(&bytes.Buffer{}, "pdf", "")
	if err == nil || !strings.Contains(err.Error(), "html, md, json, csv") {
		t.Errorf("Write(pdf) = %v, want the formats named", err)
	}
}
