package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// The thermal chart's size and margins, in SVG units.
const (
	chartW, chartH                 = 300.0, 160.0
	chartLeft, chartRight          = 40.0, 10.0
	chartTop, chartBottom          = 24.0, 24.0
	chartBand, chartLine, chartBar = "#f4d03f", "#7d6608", "#c9d2da"
)

// ThermalCharts returns the thermal section as HTML: one small inline SVG
// chart (class "thermal-chart") per zone of the trial, of the detections
// to date against the count its background predicts to date, with the
// prediction interval as a band and each day's detections as bars; under
// each, the test over all the complete days and the thermal rate against
// the controls. It makes no request. Without a background, a notice.
func (r *Report) ThermalCharts() template.HTML {
	if r.Thermal == nil {
		return template.HTML(`<p class="meta">No thermal background is configured for this trial (or it was not judged): ` +
			`no chart of detections against their background.</p>`)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<p class="meta">Detections of category %s from source %s in each zone, summed from the first complete day `+
		`(line and dots; bars: each day's), against the count the seasonal background predicts over the same days `+
		`(dashed) and its prediction interval (band): the test of the zone's verdict as it built up.</p><div class="thermal-charts">`,
		html.EscapeString(string(r.Thermal.Category)), html.EscapeString(r.Thermal.Source))
	for _, z := range r.Thermal.Zones {
		b.WriteString(`<figure class="thermal">`)
		b.WriteString(chart(z))
		fmt.Fprintf(&b, `<figcaption>%s</figcaption></figure>`, html.EscapeString(r.thermalCaption(z)))
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
}

// thermalCaption says where zone z's series ends and its thermal rate.
func (r *Report) thermalCaption(z ThermalZone) string {
	var s string
	switch {
	case len(z.Days) == 0:
		s = z.ZoneID + ": no complete day yet"
	case z.Days[len(z.Days)-1].ExpectedToDate == nil:
		last := z.Days[len(z.Days)-1]
		s = fmt.Sprintf("%s: %d detections over %d days; no background test: %s", z.ZoneID, last.ObservedToDate, last.Day, z.Note)
	default:
		last := z.Days[len(z.Days)-1]
		s = fmt.Sprintf("%s: %d detections over %d days vs %s expected (interval %s–%s): %s", z.ZoneID, last.ObservedToDate,
			last.Day, fnum(*last.ExpectedToDate), fnum(*last.Lower), fnum(*last.Upper), last.Class)
	}
	for _, zone := range r.Zones {
		if zone.ID == z.ZoneID && zone.Verdict != nil && zone.Verdict.ThermalDeescalation != nil {
			s += "; thermal rate vs controls " + ratioText(zone.Verdict.ThermalDeescalation)
		}
	}
	return s
}

// chart returns the SVG chart of zone z.
func chart(z ThermalZone) string {
	n := len(z.Days)
	top := 1.0
	for _, d := range z.Days {
		top = math.Max(top, float64(d.ObservedToDate))
		if d.Upper != nil && !math.IsInf(float64(*d.Upper), 0) {
			top = math.Max(top, float64(*d.Upper))
		}
	}
	top = niceCeil(top)
	plotW, plotH := chartW-chartLeft-chartRight, chartH-chartTop-chartBottom
	x := func(i int) float64 { // centre of day i (0-based)
		return chartLeft + plotW*(float64(i)+0.5)/float64(max(n, 1))
	}
	y := func(v float64) float64 { return chartTop + plotH*(1-math.Min(v, top)/top) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="thermal-chart" data-zone="%s" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="Thermal detections to date in zone %s against their background">`,
		html.EscapeString(z.ZoneID), chartW, chartH, html.EscapeString(z.ZoneID))
	fmt.Fprintf(&b, `<text class="chart-title" x="%.1f" y="15">%s</text>`, chartLeft, html.EscapeString(z.ZoneID))
	// Axes, with the top and zero of the scale, and the first and last day.
	fmt.Fprintf(&b, `<path class="axis" d="M%.1f %.1fV%.1fH%.1f" fill="none" stroke="#8a99a6"/>`, chartLeft, chartTop, y(0), chartW-chartRight)
	fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text><text class="tick" x="%.1f" y="%.1f" text-anchor="end">0</text>`,
		chartLeft-4, chartTop+4, fnum(judge.Number(top)), chartLeft-4, y(0)+4)
	if n > 0 {
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">day %d</text>`, x(0), chartH-6, z.Days[0].Day)
		if n > 1 {
			fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%d</text>`, x(n-1), chartH-6, z.Days[n-1].Day)
		}
	}
	barW := math.Max(1, plotW/float64(max(n, 1))*0.6)
	for i, d := range z.Days {
		if d.Observed > 0 {
			fmt.Fprintf(&b, `<rect class="daily" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>day %d: %d detections</title></rect>`,
				x(i)-barW/2, y(float64(d.Observed)), barW, y(0)-y(float64(d.Observed)), chartBar, d.Day, d.Observed)
		}
	}
	band(&b, z.Days, x, y)
	var obs []string
	for i, d := range z.Days {
		obs = append(obs, fmt.Sprintf("%.1f %.1f", x(i), y(float64(d.ObservedToDate))))
	}
	if len(obs) > 0 {
		fmt.Fprintf(&b, `<path class="observed" d="M%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(obs, "L"), chartLine)
	}
	for i, d := range z.Days {
		tip := fmt.Sprintf("day %d: %d detections to date", d.Day, d.ObservedToDate)
		if d.ExpectedToDate != nil {
			tip += fmt.Sprintf(", %s expected (interval %s–%s): %s", fnum(*d.ExpectedToDate), fnum(*d.Lower), fnum(*d.Upper), d.Class)
		}
		fmt.Fprintf(&b, `<circle class="observed-day" cx="%.1f" cy="%.1f" r="2.8" fill="%s"><title>%s</title></circle>`,
			x(i), y(float64(d.ObservedToDate)), chartLine, html.EscapeString(tip))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// band draws the prediction interval as a band and the expected count as
// a dashed line, over the runs of days that have a background test.
func band(b *strings.Builder, days []ThermalDay, x func(int) float64, y func(float64) float64) {
	for i := 0; i < len(days); {
		if days[i].ExpectedToDate == nil {
			i++
			continue
		}
		j := i
		for j < len(days) && days[j].ExpectedToDate != nil {
			j++
		}
		var upper, lower, expected []string
		for k := i; k < j; k++ {
			xs := []float64{x(k)}
			if j-i == 1 { // a lone day: a short bar, not a point
				xs = []float64{x(k) - 4, x(k) + 4}
			}
			for _, px := range xs {
				upper = append(upper, fmt.Sprintf("%.1f %.1f", px, y(float64(*days[k].Upper))))
				lower = append([]string{fmt.Sprintf("%.1f %.1f", px, y(float64(*days[k].Lower)))}, lower...)
				expected = append(expected, fmt.Sprintf("%.1f %.1f", px, y(float64(*days[k].ExpectedToDate))))
			}
		}
		fmt.Fprintf(b, `<path class="band" d="M%sL%sZ" fill="%s" fill-opacity="0.35" stroke="none"/>`,
			strings.Join(upper, "L"), strings.Join(lower, "L"), chartBand)
		fmt.Fprintf(b, `<path class="expected" d="M%s" fill="none" stroke="%s" stroke-width="1.5" stroke-dasharray="4 3"/>`,
			strings.Join(expected, "L"), chartLine)
		i = j
	}
}

// niceCeil returns the smallest of 1, 2, 2.5, 5 times a power of ten at
// or above v (v ≥ 1).
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
