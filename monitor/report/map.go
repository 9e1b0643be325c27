package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Map returns the map as inline SVG: one path per zone (class "zone"),
// filled by its verdict (class "v-" and the verdict) when judged, else
// shaded when it has violations (class "hot"), and one marker per violation (class
// "marker"), a link to the incident's raw record under base with its
// details as tooltip. It makes no request of its own.
func (r *Report) Map(base string) template.HTML { return r.drawMap(base, len(r.Violations)) }

// MapNewest is Map with only the newest limit violations marked, and a
// note saying how many are left out: the status page, which refreshes
// itself, stays light however many violations a trial gathers.
func (r *Report) MapNewest(base string, limit int) template.HTML {
	return r.drawMap(base, max(0, min(limit, len(r.Violations))))
}

func (r *Report) drawMap(base string, markers int) template.HTML {
	p := newProjection(r.bound())
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-label="Map of the zones of trial %s with its violations">`,
		p.w, p.h, html.EscapeString(r.Trial.Name))
	fmt.Fprintf(&b, `<rect width="%.0f" height="%.0f" fill="#f4f7fa"/>`, p.w, p.h)
	for i, z := range r.shapes {
		fill, cls := zoneFill(&r.Zones[i])
		fmt.Fprintf(&b, `<path class="%s" data-zone="%s" d="%s" fill="%s" fill-rule="evenodd" stroke="#51606d" stroke-width="1.2"><title>%s</title></path>`,
			cls, html.EscapeString(z.ID), p.zonePath(z.Geometry), fill, html.EscapeString(zoneTitle(&r.Zones[i])))
	}
	label := "label"
	if len(r.shapes) > 8 { // many zones: smaller labels crowd less
		label = "label small"
	}
	for _, z := range r.shapes {
		if pt, ok := labelPoint(z.Geometry); ok {
			x, y := p.xy(pt.Lon(), pt.Lat())
			fmt.Fprintf(&b, `<text class="%s" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, label, x, y, html.EscapeString(z.ID))
		}
	}
	for _, v := range r.Violations[len(r.Violations)-markers:] { // sorted by event time
		x, y := p.xy(v.Lon, v.Lat)
		s := style(v.Category)
		fmt.Fprintf(&b, `<a class="marker" data-placement="%s" data-category="%s" data-tier="%s" href="%s"><title>%s</title>%s%s</a>`,
			v.Placement, v.Category, html.EscapeString(v.Tier), html.EscapeString(base+v.Record), html.EscapeString(markerTitle(&v)),
			tierRing(v.Tier, x, y, 5.5), marker(s, v.Placement, x, y, 5.5))
	}
	if markers < len(r.Violations) {
		fmt.Fprintf(&b, `<text class="note" x="%.1f" y="%.1f" text-anchor="end">newest %d of %d violations marked; the trial report marks all</text>`,
			p.w-mapPad, p.h-mapPad/2, markers, len(r.Violations))
	}
	scaleBar(&b, p)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func zoneTitle(z *Zone) string {
	name := z.ID
	if z.Name != "" {
		name += " — " + z.Name
	}
	return fmt.Sprintf("%s: %d violation(s), %d ambiguous; verdict: %s", name, z.Violations, z.Ambiguous, zoneVerdictText(z))
}

func markerTitle(v *Violation) string {
	return fmt.Sprintf("%s %s\n%s, zone %s, %s\n%s\n%s UTC (day %d)\n%.5f, %.5f (lat, lon)\nClick for the raw record.",
		v.Source, v.IncidentID, v.Category, v.ZoneID, v.Placement, tierWords(v.Tier),
		v.OccurredAt.Format("2006-01-02 15:04"), v.Day, v.Lat, v.Lon)
}

// scaleBar draws a bar of a round length near a sixth of the width, and a
// north arrow.
func scaleBar(b *strings.Builder, p projection) {
	kmPerUnit := 111.32 / p.scale // one degree of latitude is 111.32 km
	want := (p.w / 6) * kmPerUnit
	km := 1.0
	for _, step := range []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000} {
		if step <= want {
			km = step
		}
	}
	length := km / kmPerUnit
	x, y := mapPad, p.h-mapPad/2-4
	fmt.Fprintf(b, `<g class="scale"><path d="M%.1f %.1fh%.1f" stroke="#222" stroke-width="3"/><text x="%.1f" y="%.1f">%g km</text></g>`,
		x, y, length, x+length+6, y+4, km)
	nx := p.w - mapPad
	fmt.Fprintf(b, `<g class="north"><path d="M%.1f %.1fl6 14h-12Z" fill="#222"/><text x="%.1f" y="%.1f" text-anchor="middle">N</text></g>`,
		nx, mapPad-4, nx, mapPad+24)
}

// tierRing returns the ring drawn around the marker of a corroborated
// violation, centred at x, y around a marker of size r; "" for a single
// one. The ring is dark and solid whatever the placement, so that the
// placement's fill, hollow or dashes stay readable inside it.
func tierRing(tier string, x, y, r float64) string {
	if tier != string(judge.Corroborated) {
		return ""
	}
	return fmt.Sprintf(`<circle class="tier-ring" cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="#1c2833" stroke-width="1.6"/>`,
		x, y, r+3.5)
}

// tierWords says a tier in a marker's tooltip.
func tierWords(tier string) string {
	if tier == string(judge.Corroborated) {
		return "tier: corroborated (a source of another kind agrees)"
	}
	return "tier: single (not corroborated)"
}
