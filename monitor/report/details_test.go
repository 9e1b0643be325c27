package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// fixtureDetails: of the five complete days and the one in progress, day
// 2 (1-based) was observed by no source and day 4 by viirs alone; north
// has a thermal series with a test on every day but the first.
func fixtureDetails() *verdicts.Details {
	d := &verdicts.Details{}
	for i := range 6 {
		day := judge.DayCoverage{Day: i, Start: start.Add(time.Duration(i) * monitor.Day), Complete: i < 5,
			Sources: []string{"field", "viirs"}}
		switch i {
		case 1:
			day.Sources = nil
		case 3:
			day.Sources = []string{"viirs"}
		}
		d.Days = append(d.Days, day)
	}
	d.Sources = []verdicts.SourceCoverage{
		{Source: "field", Kind: judge.Field, ObservedDays: 3, CompleteDays: 5, OK: 100, Failed: 20, LastSuccess: start.Add(5 * monitor.Day)},
		{Source: "viirs", Kind: judge.Satellite, ObservedDays: 4, CompleteDays: 5, OK: 60, Failed: 0},
	}
	test := func(obs int, exp float64) *judge.BackgroundResult {
		return &judge.BackgroundResult{Observed: obs, Expected: exp, Lower: exp / 2, Upper: exp * 2, Class: judge.Consistent}
	}
	d.Thermal = &verdicts.ThermalSeries{Source: "viirs", Category: monitor.ThermalAnomaly, Zones: []verdicts.ZoneThermal{
		{ZoneID: "north", Daily: []int{1, 0, 5, 2, 0}, ToDate: []*judge.BackgroundResult{nil, test(1, 3), test(6, 4.5), test(8, 6), test(8, 7.5)}},
		{ZoneID: "east", Daily: []int{0, 0, 0, 0, 0}, ToDate: make([]*judge.BackgroundResult, 5), Note: "fewer than two reference years outside the trial window"},
		{ZoneID: "south", Daily: []int{}, ToDate: []*judge.BackgroundResult{}},
	}}
	return d
}

// detailedInput is the fixture with the details, and a'1 and a,2 (north,
// day 1, inside and buffer) and a4 (ambiguous) corroborated.
func detailedInput() Input {
	in := judgedInput()
	in.Details = fixtureDetails()
	in.Tiers = []monitor.TierUpdate{{Trial: "freeze", Source: "field", IncidentID: "a/1", Tier: "corroborated"},
		{Trial: "freeze", Source: "field", IncidentID: "a,2", Tier: "corroborated"},
		{Trial: "freeze", Source: "field", IncidentID: "a4", Tier: "corroborated"},
		{Trial: "else", Source: "field", IncidentID: "a3", Tier: "corroborated"}}
	return in
}

func TestMapTiers(t *testing.T) {
	r := Build(detailedInput())
	svg := string(r.Map(""))
	markers := regexp.MustCompile(`<a class="marker" data-placement="(\w+)" data-category="\w+" data-tier="(\w+)"[^>]*><title>([^<]*)</title>(.*?)</a>`).
		FindAllStringSubmatch(svg, -1)
	if len(markers) != len(r.Violations) {
		t.Fatalf("%d markers with a tier, want %d", len(markers), len(r.Violations))
	}
	corroborated := map[string]bool{}
	for _, m := range markers {
		placement, tier, title, body := m[1], m[2], m[3], m[4]
		ringed := strings.Contains(body, `class="tier-ring"`)
		if ringed != (tier == "corroborated") || !strings.Contains(title, "tier: "+tier) {
			t.Errorf("%s marker of tier %s: ringed %v, title %q", placement, tier, ringed, title)
		}
		if tier == "corroborated" {
			corroborated[placement] = true
			// The placement stays readable inside the ring.
			want := map[string]string{"inside": `stroke="#ffffff"`, "buffer": `fill="#ffffff"`, "ambiguous": "stroke-dasharray"}[placement]
			if !strings.Contains(body, want) {
				t.Errorf("corroborated %s marker lacks %q: %s", placement, want, body)
			}
		}
	}
	if len(corroborated) != 3 {
		t.Errorf("corroborated markers of placements %v, want inside, buffer and ambiguous", corroborated)
	}
	if n := strings.Count(string(Legend()), `class="tier-ring"`); n != 1 {
		t.Errorf("the legend shows %d ringed keys, want 1", n)
	}
}

func TestStripCoverageAndTiers(t *testing.T) {
	r := Build(detailedInput())
	strip := string(r.Strip())
	cells := regexp.MustCompile(`<td class="([^"]*)" data-corroborated="(\d+)" data-single="(\d+)" title="([^"]*)">([^<]*)</td>`).
		FindAllStringSubmatch(strip, -1)
	if len(cells) != len(r.Zones)*len(r.Days) {
		t.Fatalf("%d cells, want %d", len(cells), len(r.Zones)*len(r.Days))
	}
	unobserved := 0
	for i, c := range cells {
		day := i % len(r.Days)
		grey := strings.Contains(c[1], "unobserved")
		if grey {
			unobserved++
		}
		if grey != (day == 1) {
			t.Errorf("cell %d (day %d) greyed %v, want only day 2 greyed", i, day+1, grey)
		}
	}
	if unobserved != len(r.Zones) {
		t.Errorf("%d greyed cells, want %d (day 2 of each zone)", unobserved, len(r.Zones))
	}
	// north, day 1: a/1 and a,2 corroborated; day 3: a3 single.
	if c := cells[0]; !strings.Contains(c[1], "corr") || c[2] != "2" || c[3] != "0" || c[5] != "2" ||
		!strings.Contains(c[4], "observed by field, viirs") {
		t.Errorf("north day 1 = %q, want 2 corroborated, ringed, observed by both", c[0])
	}
	if c := cells[2]; strings.Contains(c[1], "corr") || c[3] != "1" {
		t.Errorf("north day 3 = %q, want 1 single, not ringed", c[0])
	}
	if d := r.Days[3]; d.Coverage != Observed || len(d.ObservedBy) != 1 || d.ObservedBy[0] != "viirs" {
		t.Errorf("day 4 = %+v, want observed by viirs", d)
	}
	if r.Totals.ObservedDays != 4 || r.Totals.CompleteDays != 5 {
		t.Errorf("totals observe %d of %d days, want 4 of 5", r.Totals.ObservedDays, r.Totals.CompleteDays)
	}
	if got := r.Zones[0].PerDayCorroborated; got[0] != 2 || got[2] != 0 {
		t.Errorf("north's corroborated per day = %v, want 2 on day 1, 0 on day 3", got)
	}

	t.Run("not judged", func(t *testing.T) {
		r := Build(judgedInput())
		if strings.Contains(string(r.Strip()), "unobserved") || r.Days[1].Coverage != NotJudged {
			t.Error("days without coverage passed in are greyed")
		}
	})
}

func TestCoverageTable(t *testing.T) {
	r := Build(detailedInput())
	var page, md, js bytes.Buffer
	for _, w := range []struct {
		format string
		buf    *bytes.Buffer
	}{{"html", &page}, {"md", &md}, {"json", &js}} {
		if err := r.Write(w.buf, w.format, ""); err != nil {
			t.Fatal(err)
		}
	}
	rows := regexp.MustCompile(`<table class="data coverage">.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(page.String())
	if rows == nil || strings.Count(rows[1], "<tr>") != 2 ||
		!strings.Contains(rows[1], `<td>field</td><td>field</td><td class="n">3 / 5</td><td class="n">100</td><td class="n">20</td><td>2026-12-06 00:00Z</td>`) ||
		!strings.Contains(rows[1], `<td>viirs</td><td>satellite</td><td class="n">4 / 5</td><td class="n">60</td><td class="n">0</td><td>—</td>`) {
		t.Errorf("coverage table = %v", rows)
	}
	if !strings.Contains(md.String(), "| north | 2c | – | 1 | · | · | ·* |") {
		t.Error("the Markdown strip lacks north's tiers or greyed day")
	}
	if !strings.Contains(md.String(), "| field | field | 3 / 5 | 100 | 20 | 2026-12-06 00:00Z |") ||
		!strings.Contains(md.String(), "on 4 of 5 complete days") {
		t.Error("the Markdown lacks the coverage table")
	}
	var got struct {
		Coverage []SourceCoverage `json:"coverage"`
		Days     []Day            `json:"days"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Coverage) != 2 || got.Coverage[0].FailedAttempts != 20 || got.Coverage[1].LastSuccess != nil ||
		got.Days[1].Coverage != NotObserved {
		t.Errorf("JSON coverage = %+v, days %+v", got.Coverage, got.Days)
	}
}

func TestThermalCharts(t *testing.T) {
	r := Build(detailedInput())
	html := string(r.ThermalCharts())
	if n := strings.Count(html, `<svg class="thermal-chart"`); n != 3 {
		t.Errorf("%d charts, want one per zone (3)", n)
	}
	north := regexp.MustCompile(`<svg class="thermal-chart" data-zone="north".*?</svg>`).FindString(html)
	if strings.Count(north, `class="band"`) != 1 || strings.Count(north, `class="expected"`) != 1 ||
		strings.Count(north, `class="observed-day"`) != 5 || strings.Count(north, `class="daily"`) != 3 {
		t.Errorf("north's chart lacks its band, expected line, five days or three bars: %s", north)
	}
	if !strings.Contains(html, "north: 8 detections over 5 days vs 7.5 expected (interval 3.75–15): consistent") ||
		!strings.Contains(html, "thermal rate vs controls ∞×") {
		t.Errorf("the captions lack north's figures and thermal rate:\n%s", html)
	}
	if !strings.Contains(html, "east: 0 detections over 5 days; no background test: fewer than two reference years") {
		t.Error("east's caption does not say why it has no test")
	}
	z := r.Thermal.Zones[0]
	if z.Days[0].ExpectedToDate != nil || *z.Days[2].ExpectedToDate != 4.5 || z.Days[2].ObservedToDate != 6 || z.Days[2].Observed != 5 {
		t.Errorf("north's series = %+v", z.Days)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| north | 8 | 7.5 | 3.75–15 | consistent | 1, 0, 5, 2, 0 |") {
		t.Error("the Markdown lacks north's thermal row")
	}
	if Build(judgedInput()).Thermal != nil {
		t.Error("a thermal series without details")
	}
}
