package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// Thermal is the trial's satellite detections against their seasonal
// background over the complete days (verdicts.ThermalSeries): the test of
// each zone's verdict, as it built up day by day.
type Thermal struct {
	Source   string           `json:"source"`
	Category monitor.Category `json:"category"`
	Zones    []ThermalZone    `json:"zones"` // the trial's zones, in its order
}

// ThermalZone is one zone's thermal series.
type ThermalZone struct {
	ZoneID string `json:"zone_id"`
	// Note says why there is no background test, "" when there is one.
	Note string       `json:"note"`
	Days []ThermalDay `json:"days"` // the complete days, in order
}

// ThermalDay is one complete trial day of a zone's thermal series.
type ThermalDay struct {
	Day int `json:"day"` // 1-based
	// Observed counts the zone's detections on the day; ObservedToDate
	// those of the trial's days up to it, included.
	Observed       int `json:"observed"`
	ObservedToDate int `json:"observed_to_date"`
	// ExpectedToDate is the count the background predicts up to the day,
	// Lower and Upper its prediction interval, Class the test's outcome
	// (judge.Background over the same days of the reference years); all
	// null, and Class "", when the test could not be made.
	ExpectedToDate *judge.Number `json:"expected_to_date"`
	Lower          *judge.Number `json:"lower"`
	Upper          *judge.Number `json:"upper"`
	Class          judge.Class   `json:"class"`
}

// thermal sets r.Thermal from d.
func (r *Report) thermal(d *verdicts.Details) {
	if d == nil || d.Thermal == nil {
		return
	}
	t := &Thermal{Source: d.Thermal.Source, Category: d.Thermal.Category, Zones: []ThermalZone{}}
	for _, z := range d.Thermal.Zones {
		tz := ThermalZone{ZoneID: z.ZoneID, Note: z.Note, Days: []ThermalDay{}}
		total := 0
		for i, n := range z.Daily {
			total += n
			day := ThermalDay{Day: i + 1, Observed: n, ObservedToDate: total}
			if i < len(z.ToDate) && z.ToDate[i] != nil {
				res := z.ToDate[i]
				e, lo, hi := judge.Number(res.Expected), judge.Number(res.Lower), judge.Number(res.Upper)
				day.ExpectedToDate, day.Lower, day.Upper, day.Class = &e, &lo, &hi, res.Class
			}
			tz.Days = append(tz.Days, day)
		}
		t.Zones = append(t.Zones, tz)
	}
	r.Thermal = t
}

// markdownThermal returns the thermal section in Markdown: one row per
// zone, with the test over all the complete days and the daily counts.
func (r *Report) markdownThermal() string {
	if r.Thermal == nil {
		return "No thermal background is configured for this trial (or it was not judged).\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Detections of category %s from source %s over the complete days, against the count the seasonal "+
		"background predicts over the same days (the test of each zone's verdict).\n\n"+
		"| Zone | Detections to date | Expected to date | Interval | Test | Per day |\n|---|--:|--:|---|---|---|\n",
		r.Thermal.Category, mdCell(r.Thermal.Source))
	for _, z := range r.Thermal.Zones {
		daily := make([]string, len(z.Days))
		for i, d := range z.Days {
			daily[i] = strconv.Itoa(d.Observed)
		}
		if len(z.Days) == 0 {
			fmt.Fprintf(&b, "| %s | 0 | — | — | no complete day yet | |\n", mdCell(z.ZoneID))
			continue
		}
		last := z.Days[len(z.Days)-1]
		if last.ExpectedToDate == nil {
			fmt.Fprintf(&b, "| %s | %d | — | — | %s | %s |\n", mdCell(z.ZoneID), last.ObservedToDate, mdCell("no test: "+z.Note),
				strings.Join(daily, ", "))
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s–%s | %s | %s |\n", mdCell(z.ZoneID), last.ObservedToDate, fnum(*last.ExpectedToDate),
			fnum(*last.Lower), fnum(*last.Upper), last.Class, strings.Join(daily, ", "))
	}
	return b.String()
}
