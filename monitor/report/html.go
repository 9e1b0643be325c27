package report

import (
	_ "embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

//go:embed report.html
var reportHTML string

//go:embed style.css
var styleCSS string

// Style returns the style sheet of the map, the day strip and the legend,
// for pages that embed them (the status page).
func Style() template.CSS { return template.CSS(styleCSS + verdictCSS()) }

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"ts":         func(t time.Time) string { return t.Format("2006-01-02 15:04Z") },
	"tp":         timeText,
	"status":     statusText,
	"categories": joinCategories,
	"bycat":      categoryText,
	"zverdict":   zoneVerdictText,
	"coord":      func(f float64) string { return fmt.Sprintf("%.5f", f) },
	"num":        func(f float64) string { return fnum(judge.Number(f)) },
}).Parse(reportHTML))

// WriteHTML writes r as a self-contained HTML page: inline style and SVG,
// no script and no request of its own. It prints on A4 (see the print
// style), so a PDF is one headless browser run away.
func (r *Report) WriteHTML(w io.Writer, base string) error {
	data := struct {
		*Report
		Base          string
		Style         template.CSS
		Map           template.HTML
		Strip         template.HTML
		Legend        template.HTML
		Judged        template.HTML
		CoverageTable template.HTML
		ThermalCharts template.HTML
		Notes         []string
	}{r, base, Style(), r.Map(base), r.Strip(), Legend(), r.VerdictTable(), r.CoverageTable(), r.ThermalCharts(), r.Attributions()}
	if err := reportTmpl.Execute(w, data); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	return nil
}

// Strip returns the day strip as an HTML table (class "strip"): one row
// per zone, one cell (class "cell") per shown day, days after the report's
// time left out.
func (r *Report) Strip() template.HTML {
	var b strings.Builder
	if len(r.Days) == 0 {
		return template.HTML(`<p class="strip-empty">The trial has not started: no day to show.</p>`)
	}
	b.WriteString(`<div class="strip-wrap"><table class="strip"><thead><tr><th class="zone-h">Zone</th>`)
	for _, d := range r.Days {
		fmt.Fprintf(&b, `<th title="%s">%d</th>`, d.Date, d.Day)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, z := range r.Zones {
		fmt.Fprintf(&b, `<tr><th class="zone-h" title="%s">%s</th>`, html.EscapeString(z.Name), html.EscapeString(z.ID))
		for i, n := range z.PerDay {
			c := 0
			if i < len(z.PerDayCorroborated) {
				c = z.PerDayCorroborated[i]
			}
			fmt.Fprint(&b, stripCell(z.ID, r.Days[i], n, c))
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String())
}

// stripCell returns the strip's cell of zone on day d, with n violations
// of which c corroborated: shaded by n, ringed when c > 0 and showing
// "c+s" when both tiers occur, greyed when no source observed the day.
func stripCell(zone string, d Day, n, c int) string {
	cls := "cell " + level(n)
	if c > 0 {
		cls += " corr"
	}
	if d.Coverage == NotObserved {
		cls += " unobserved"
	}
	if d.State == "in_progress" {
		cls += " now"
	}
	tip := fmt.Sprintf("%s, day %d (%s): %d violation(s)", zone, d.Day, d.Date, n)
	if n > 0 {
		tip += fmt.Sprintf(", %d corroborated and %d single", c, n-c)
	}
	if d.State == "in_progress" {
		tip += " so far; the day is in progress"
	}
	switch d.Coverage {
	case Observed:
		tip += "; observed by " + strings.Join(d.ObservedBy, ", ")
	case NotObserved:
		tip += "; not observed: no source covered the day, so a day without a recorded violation says nothing"
	default:
		if n == 0 {
			tip += " recorded; coverage not judged"
		}
	}
	text := ""
	switch {
	case c > 0 && c < n:
		text = fmt.Sprintf("%d+%d", c, n-c)
	case n > 0:
		text = fmt.Sprint(n)
	}
	return fmt.Sprintf(`<td class="%s" data-corroborated="%d" data-single="%d" title="%s">%s</td>`,
		cls, c, n-c, html.EscapeString(tip), text)
}

// level is the shade class of a count.
func level(n int) string {
	switch {
	case n == 0:
		return "n0"
	case n == 1:
		return "n1"
	case n <= 4:
		return "n2"
	}
	return "n3"
}

// Legend returns the key of the map's markers, the zones' verdict fills
// and the strip's shades.
func Legend() template.HTML {
	var b strings.Builder
	b.WriteString(`<div class="legend"><div class="legend-group"><h4>Category</h4>`)
	for _, c := range monitor.Categories {
		s := markerStyles[c]
		fmt.Fprintf(&b, `<span class="key"><svg width="18" height="18" viewBox="0 0 18 18">%s</svg>%s</span>`,
			marker(s, monitor.Inside, 9, 9, 5.5), s.label)
	}
	b.WriteString(`</div><div class="legend-group"><h4>Placement</h4>`)
	for _, p := range []struct {
		p    monitor.Placement
		text string
	}{{monitor.Inside, "inside the zone (counted)"}, {monitor.Buffer, "in the buffer (counted)"},
		{monitor.Ambiguous, "ambiguous: uncertainty reaches in (evidence only)"}} {
		fmt.Fprintf(&b, `<span class="key"><svg width="18" height="18" viewBox="0 0 18 18">%s</svg>%s</span>`,
			shape("circle", 9, 9, 5.5, placementAttrs(p.p, "#333333")), p.text)
	}
	b.WriteString(`</div><div class="legend-group"><h4>Tier</h4>`)
	fmt.Fprintf(&b, `<span class="key"><svg width="18" height="18" viewBox="0 0 18 18">%s</svg>single: not corroborated</span>`,
		shape("circle", 9, 9, 4, placementAttrs(monitor.Inside, "#333333")))
	fmt.Fprintf(&b, `<span class="key"><svg width="18" height="18" viewBox="0 0 18 18">%s%s</svg>corroborated: ringed</span>`,
		tierRing(string(judge.Corroborated), 9, 9, 4), shape("circle", 9, 9, 4, placementAttrs(monitor.Inside, "#333333")))
	b.WriteString(`</div>` + verdictLegend() + `<div class="legend-group"><h4>Zones not judged, and days</h4>` +
		`<span class="key"><i class="sw zone-hot"></i>zone with violations</span>` +
		`<span class="key"><i class="sw zone-quiet"></i>zone without</span>` +
		`<span class="key"><i class="sw n0"></i>no violation recorded</span>` +
		`<span class="key"><i class="sw n0 unobserved"></i>greyed: no source observed the day</span>` +
		`<span class="key"><i class="sw n1"></i><i class="sw n2"></i><i class="sw n3"></i>1, 2–4, 5+ violations</span>` +
		`<span class="key"><i class="sw n2 corr"></i>ringed: some corroborated; 2+1 = 2 corroborated, 1 single</span>` +
		`<span class="key"><i class="sw n0 now"></i>day in progress</span></div></div>`)
	return template.HTML(b.String())
}
