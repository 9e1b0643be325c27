package report

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// fixtureVerdicts judges north violated (with a thermal test and both
// ratios) and east held; south is left unjudged, and a verdict of another
// trial is passed in too.
func fixtureVerdicts() []judge.Verdict {
	return []judge.Verdict{
		{Trial: "freeze", ZoneID: "north", Verdict: judge.Violated, Text: "violated",
			Reasons: []judge.Reason{
				{Code: judge.ReasonCorroborated, Text: "2 violations corroborated by a source of another kind"},
				{Code: judge.ReasonThermalAbove, Text: "40 thermal detections against 12.5 expected"},
			},
			Violations: judge.ViolationCounts{Corroborated: 2, Single: 1, SingleSatellite: 3},
			Coverage:   judge.CoverageFigures{ObservedDays: 4, CompleteDays: 5, Fraction: 0.8, MinFraction: 0.8},
			Thermal: &judge.ThermalFigures{Observed: 40, Expected: 12.5, Lower: 3.25, Upper: 30.5, P: 0.00123,
				Class: judge.Above, Years: 7},
			Deescalation:        &judge.Ratio{Ratio: 0.5, Lower: 0.25, Upper: 0.875, Level: 0.95},
			ThermalDeescalation: &judge.Ratio{Ratio: judge.Number(math.Inf(1)), Lower: 1.5, Upper: judge.Number(math.Inf(1)), Level: 0.95},
		},
		{Trial: "freeze", ZoneID: "east", Verdict: judge.Held, Text: "held",
			Reasons:  []judge.Reason{{Code: judge.ReasonCoverageEnough, Text: "observed on 5 of 5 complete days, at least 80%"}},
			Coverage: judge.CoverageFigures{ObservedDays: 5, CompleteDays: 5, Fraction: 1, MinFraction: 0.8}},
		{Trial: "else", ZoneID: "south", Verdict: judge.Violated},
	}
}

func judgedInput() Input {
	in := fixtureInput(start.Add(5*monitor.Day + monitor.Day/2))
	in.Verdicts = fixtureVerdicts()
	return in
}

func TestVerdictsInReport(t *testing.T) {
	r := Build(judgedInput())
	if r.Verdicts.State != "judged" || !strings.Contains(r.Verdicts.Note, "2 of 3 zones") {
		t.Errorf("verdicts = %+v, want judged, 2 of 3 zones", r.Verdicts)
	}
	for _, c := range []struct {
		zone string
		want judge.State
	}{{"north", judge.Violated}, {"east", judge.Held}, {"south", ""}} {
		t.Run(c.zone, func(t *testing.T) {
			z := r.Zones[slicesIndex(r, c.zone)]
			switch {
			case c.want == "" && z.Verdict != nil:
				t.Errorf("verdict %v, want none (the other trial's is ignored)", z.Verdict.Verdict)
			case c.want != "" && (z.Verdict == nil || z.Verdict.Verdict != c.want):
				t.Errorf("verdict %+v, want %s", z.Verdict, c.want)
			}
		})
	}
	if !strings.Contains(r.Methods, "thermal excess when") || strings.Contains(r.Methods, "not judged here") {
		t.Errorf("methods do not describe the judging: %s", r.Methods)
	}
	if strings.Contains(Build(fixtureInput(start)).Methods, "thermal excess when") {
		t.Error("methods of an unjudged report describe judging")
	}
}

func slicesIndex(r *Report, id string) int {
	for i, z := range r.Zones {
		if z.ID == id {
			return i
		}
	}
	return -1
}

// TestVerdictJSON: the verdict is carried whole, infinities as strings,
// and equal inputs encode equally.
func TestVerdictJSON(t *testing.T) {
	var a, b bytes.Buffer
	if err := Build(judgedInput()).WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := Build(judgedInput()).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("equal inputs encode differently")
	}
	var got struct {
		Verdicts Verdicts `json:"verdicts"`
		Zones    []struct {
			ID      string `json:"id"`
			Verdict *struct {
				Verdict  string `json:"verdict"`
				Coverage struct {
					ObservedDays int `json:"observed_days"`
				} `json:"coverage"`
				ThermalDeescalation struct {
					Upper any `json:"upper"`
				} `json:"thermal_deescalation"`
			} `json:"verdict"`
		} `json:"zones"`
	}
	if err := json.Unmarshal(a.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	n := got.Zones[0].Verdict
	if got.Zones[0].ID != "north" || n == nil || n.Verdict != "violated" || n.Coverage.ObservedDays != 4 || n.ThermalDeescalation.Upper != "+Inf" {
		t.Errorf("north's verdict in JSON = %+v", n)
	}
	if got.Zones[2].Verdict != nil {
		t.Errorf("south's verdict = %+v, want null", got.Zones[2].Verdict)
	}
}

func TestVerdictTableHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(judgedInput()).WriteHTML(&buf, ""); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "Counts only.") {
		t.Error("a judged report says counts only")
	}
	rows := regexp.MustCompile(`<tr class="v-([a-z_]+)"><td>([^<]*)</td>(.*?)</tr>`).FindAllStringSubmatch(page, -1)
	if len(rows) != 2 {
		t.Fatalf("%d verdict rows, want 2 (north, east)", len(rows))
	}
	for i, c := range []struct {
		state, zone string
		cells       []string
	}{
		{"violated", "north", []string{"violated", "2 violations corroborated", "2 corroborated, 1 single, 3 single satellite",
			"4 of 5 complete days observed (minimum 80%)", "40 observed vs 12.5 expected (interval 3.25–30.5), p = 0.00123: above",
			"0.5× (95% interval 0.25–0.875)", "∞× (95% interval 1.5–∞)"}},
		{"held", "east", []string{"held", "observed on 5 of 5 complete days", "no background test", "not computed"}},
	} {
		t.Run(c.zone, func(t *testing.T) {
			if rows[i][1] != c.state || rows[i][2] != c.zone {
				t.Fatalf("row %d = %s %s, want %s %s", i, rows[i][2], rows[i][1], c.zone, c.state)
			}
			for _, want := range c.cells {
				if !strings.Contains(rows[i][3], want) {
					t.Errorf("row lacks %q: %s", want, rows[i][3])
				}
			}
		})
	}
	for _, s := range judge.States() {
		if !strings.Contains(page, `<i class="sw v-`+string(s)+`"></i>`) {
			t.Errorf("legend lacks verdict %s", s)
		}
	}
}

func TestMapFillByVerdict(t *testing.T) {
	svg := string(Build(judgedInput()).Map(""))
	for _, c := range []struct{ zone, class, fill string }{
		{"north", "zone hot v-violated", verdictStyles[judge.Violated].fill},
		{"east", "zone hot v-held", verdictStyles[judge.Held].fill},
		{"south", "zone", "#e3e9ee"},
	} {
		t.Run(c.zone, func(t *testing.T) {
			m := regexp.MustCompile(`<path class="([^"]*)" data-zone="` + c.zone + `" d="[^"]*" fill="([^"]*)"`).FindStringSubmatch(svg)
			if m == nil || m[1] != c.class || m[2] != c.fill {
				t.Errorf("zone %s drawn as %v, want class %q fill %q", c.zone, m, c.class, c.fill)
			}
		})
	}
}

func TestVerdictTableMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(judgedInput()).WriteMarkdown(&buf, ""); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"| north | violated | 2 violations corroborated by a source of another kind; 40 thermal detections against 12.5 expected | 2 corroborated, 1 single, 3 single satellite |",
		"| east | held |",
		"| south | South | 0 | 0 | 0 | 0 | — | — | not judged |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "Counts only") {
		t.Error("a judged report says counts only")
	}
}

func TestFnum(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{0.00123, "0.00123"}, {12.5, "12.5"}, {999.4, "999"}, {1183.6, "1184"}, {2.5e10, "25000000000"}, {999.6, "1000"}, {2e-7, "< 0.0001"},
		{math.Inf(1), "∞"}, {math.Inf(-1), "−∞"}, {math.NaN(), "n/a"}} {
		t.Run(strconv.FormatFloat(c.in, 'g', -1, 64), func(t *testing.T) {
			if got := fnum(judge.Number(c.in)); got != c.want {
				t.Errorf("fnum(%v) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
