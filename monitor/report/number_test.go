package report

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestPlainNumbers: a verdict of some thousand detections, a tiny p-value
// and a wide buffer print in plain numbers in HTML and Markdown, never in
// e-notation ("1.18e+03").
func TestPlainNumbers(t *testing.T) {
	v, err := judge.Decide(judge.VerdictInput{Trial: "freeze", ZoneID: "north", ObservedDays: 5, CompleteDays: 5,
		MinDaysFraction: 0.8, Thermal: &judge.BackgroundResult{Observed: 2400, Expected: 1180.4, Lower: 950.2,
			Upper: 1466.7, P: 2e-7, Class: judge.Above}})
	if err != nil {
		t.Fatal(err)
	}
	in := fixtureInput(start.Add(5*monitor.Day + monitor.Day/2))
	in.Verdicts = []judge.Verdict{v}
	in.Trial.BufferMeters = 2.5e6
	r := Build(in)
	eNotation := regexp.MustCompile(`\d(\.\d+)?e[+-]\d`)
	for _, format := range []string{"html", "md"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Write(&buf, format, ""); err != nil {
				t.Fatal(err)
			}
			if m := eNotation.FindString(buf.String()); m != "" {
				t.Errorf("e-notation %q in the %s report", m, format)
			}
			for _, want := range []string{"1180 expected", "p &lt; 0.0001", "2500000 m"} {
				if format == "md" {
					want = regexp.MustCompile(`&lt;`).ReplaceAllString(want, "<")
				}
				if !bytes.Contains(buf.Bytes(), []byte(want)) {
					t.Errorf("the %s report lacks %q", format, want)
				}
			}
		})
	}
}
