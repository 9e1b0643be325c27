package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// verdictStyle is how a verdict is drawn: the fill of its zone on the map
// and its words in the legend.
type verdictStyle struct {
	fill, label string
}

// verdictStyles holds the style of every verdict; judge.States gives the
// order of the legend.
var verdictStyles = map[judge.State]verdictStyle{
	judge.Violated:             {"#e0674f", "violated: a corroborated violation stands"},
	judge.Reported:             {"#f5b7a8", "reported: violations stand, none corroborated"},
	judge.ThermalExcess:        {"#f4d03f", "thermal excess: detections above their background"},
	judge.InsufficientCoverage: {"#c3c9cf", "insufficient coverage: too few days observed"},
	judge.Held:                 {"#a9dfbf", "held: none of the above, on enough observed days"},
}

// verdictWords says a verdict as people read it.
func verdictWords(s judge.State) string {
	return strings.ReplaceAll(string(s), "_", " ")
}

// zoneFill returns the map fill and the class of zone z: by verdict when
// it is judged, else by whether it has violations.
func zoneFill(z *Zone) (fill, cls string) {
	fill, cls = "#e3e9ee", "zone"
	if z.Violations > 0 {
		fill, cls = "#f6d5cf", "zone hot"
	}
	if z.Verdict != nil {
		if s, ok := verdictStyles[z.Verdict.Verdict]; ok {
			fill = s.fill
		}
		cls += " v-" + string(z.Verdict.Verdict)
	}
	return fill, cls
}

// fnum formats a figure as every number of the report is formatted
// (judge.FormatNumber): plain, never in e-notation.
func fnum(n judge.Number) string { return judge.FormatNumber(float64(n)) }

// verdictCells are the cells of one zone's row of the verdict table, as
// text.
type verdictCells struct {
	Verdict, Tiers, Coverage, Thermal, Deescalation, ThermalDeescalation string
	Reasons                                                              []string
}

// cells returns the verdict table's cells for v.
func cells(v *judge.Verdict) verdictCells {
	c := verdictCells{Verdict: verdictWords(v.Verdict),
		Tiers: fmt.Sprintf("%d corroborated, %d single, %d single satellite",
			v.Violations.Corroborated, v.Violations.Single, v.Violations.SingleSatellite),
		Coverage: fmt.Sprintf("%d of %d complete days observed (minimum %s%%)",
			v.Coverage.ObservedDays, v.Coverage.CompleteDays, fnum(judge.Number(100*v.Coverage.MinFraction))),
		Thermal: "no background test", Deescalation: "not computed", ThermalDeescalation: "not computed"}
	if th := v.Thermal; th != nil {
		c.Thermal = fmt.Sprintf("%d observed vs %s expected (interval %s–%s), %s: %s",
			th.Observed, fnum(th.Expected), fnum(th.Lower), fnum(th.Upper), pText(th.P), th.Class)
	}
	if r := v.Deescalation; r != nil {
		c.Deescalation = ratioText(r)
	}
	if r := v.ThermalDeescalation; r != nil {
		c.ThermalDeescalation = ratioText(r)
	}
	for _, r := range v.Reasons {
		c.Reasons = append(c.Reasons, r.Text)
	}
	return c
}

func ratioText(r *judge.Ratio) string {
	return fmt.Sprintf("%s× (%s%% interval %s–%s)", fnum(r.Ratio),
		fnum(judge.Number(100*r.Level)), fnum(r.Lower), fnum(r.Upper))
}

// VerdictTable returns the verdict table as HTML (class "verdicts"): one
// row per judged zone (class "v-" and its verdict), or a notice that the
// report gives counts only.
func (r *Report) VerdictTable() template.HTML {
	var b strings.Builder
	for _, z := range r.Zones {
		if z.Verdict == nil {
			continue
		}
		if b.Len() == 0 {
			b.WriteString(`<table class="data verdicts"><thead><tr><th>Zone</th><th>Verdict</th><th>Reasons</th>` +
				`<th>Violations by tier</th><th>Coverage</th><th>Thermal: observed vs expected</th>` +
				`<th>Event rate, during vs before</th><th>Thermal rate vs controls</th></tr></thead><tbody>`)
		}
		c := cells(z.Verdict)
		fmt.Fprintf(&b, `<tr class="v-%s"><td>%s</td><td class="verdict-state"><i class="sw v-%s"></i>%s</td><td><ul class="reasons">`,
			z.Verdict.Verdict, html.EscapeString(z.ID), z.Verdict.Verdict, html.EscapeString(c.Verdict))
		for _, t := range c.Reasons {
			fmt.Fprintf(&b, `<li>%s</li>`, html.EscapeString(t))
		}
		fmt.Fprintf(&b, `</ul></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>`,
			html.EscapeString(c.Tiers), html.EscapeString(c.Coverage), html.EscapeString(c.Thermal),
			html.EscapeString(c.Deescalation), html.EscapeString(c.ThermalDeescalation))
	}
	if b.Len() == 0 {
		return template.HTML(`<p class="notice"><strong>Counts only.</strong> ` + html.EscapeString(r.Verdicts.Note) + `</p>`)
	}
	b.WriteString(`</tbody></table>`)
	if r.Verdicts.Note != "" {
		fmt.Fprintf(&b, `<p class="meta">%s</p>`, html.EscapeString(r.Verdicts.Note))
	}
	return template.HTML(b.String())
}

// markdownVerdicts returns the verdict table in Markdown, or the counts
// only notice.
func (r *Report) markdownVerdicts() string {
	var b strings.Builder
	for _, z := range r.Zones {
		if z.Verdict == nil {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("| Zone | Verdict | Reasons | Violations by tier | Coverage | Thermal: observed vs expected | Event rate, during vs before | Thermal rate vs controls |\n|---|---|---|---|---|---|---|---|\n")
		}
		c := cells(z.Verdict)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCell(z.ID), c.Verdict,
			mdCell(strings.Join(c.Reasons, "; ")), c.Tiers, c.Coverage, mdCell(c.Thermal), c.Deescalation, c.ThermalDeescalation)
	}
	if b.Len() == 0 {
		return fmt.Sprintf("**Counts only.** %s\n", r.Verdicts.Note)
	}
	fmt.Fprintf(&b, "\n%s\n", r.Verdicts.Note)
	return b.String()
}

// verdictLegend returns the legend group of the zone fills by verdict.
func verdictLegend() string {
	var b strings.Builder
	b.WriteString(`<div class="legend-group"><h4>Zone verdict</h4>`)
	for _, s := range judge.States() {
		fmt.Fprintf(&b, `<span class="key"><i class="sw v-%s"></i>%s</span>`, s, html.EscapeString(verdictStyles[s].label))
	}
	b.WriteString(`</div>`)
	return b.String()
}

// verdictCSS is the swatch colours of the verdicts, for the legend and
// the verdict table.
func verdictCSS() string {
	var b strings.Builder
	for _, s := range judge.States() {
		fmt.Fprintf(&b, ".sw.v-%s { background: %s; }\n", s, verdictStyles[s].fill)
	}
	return b.String()
}

// zoneVerdictText is the zone table's verdict cell.
func zoneVerdictText(z *Zone) string {
	if z.Verdict == nil {
		return "not judged"
	}
	return verdictWords(z.Verdict.Verdict)
}

// pText says a p-value: "p = 0.0123", or "p < 0.0001".
func pText(p judge.Number) string {
	if s := fnum(p); s != "< 0.0001" {
		return "p = " + s
	}
	return "p < 0.0001"
}
