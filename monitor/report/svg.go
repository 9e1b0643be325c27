package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ceasefired/ceasefired/monitor"
)

// mapWidth is the width of the map in SVG units (pixels at 100%).
const mapWidth = 900.0

// maxMapHeight bounds the height; a tall area is drawn narrower.
const maxMapHeight = 520.0

// mapPad is the margin around the drawn area.
const mapPad = 24.0

// projection maps WGS84 onto the SVG: equirectangular, with longitudes
// scaled by the cosine of the middle latitude, north up.
type projection struct {
	minLon, maxLat, k, scale float64
	xOff                     float64 // centres an area drawn narrower than the map
	w, h                     float64
}

func newProjection(b orb.Bound) projection {
	if b.Max.Lon()-b.Min.Lon() < 0.01 {
		b.Min[0], b.Max[0] = b.Min[0]-0.05, b.Max[0]+0.05
	}
	if b.Max.Lat()-b.Min.Lat() < 0.01 {
		b.Min[1], b.Max[1] = b.Min[1]-0.05, b.Max[1]+0.05
	}
	k := math.Cos((b.Min.Lat() + b.Max.Lat()) / 2 * math.Pi / 180)
	dx, dy := (b.Max.Lon()-b.Min.Lon())*k, b.Max.Lat()-b.Min.Lat()
	scale := (mapWidth - 2*mapPad) / dx
	if dy*scale > maxMapHeight-2*mapPad {
		scale = (maxMapHeight - 2*mapPad) / dy
	}
	return projection{minLon: b.Min.Lon(), maxLat: b.Max.Lat(), k: k, scale: scale,
		xOff: (mapWidth - 2*mapPad - dx*scale) / 2, w: mapWidth, h: math.Ceil(dy*scale + 2*mapPad)}
}

func (p projection) xy(lon, lat float64) (float64, float64) {
	return (lon-p.minLon)*p.k*p.scale + mapPad + p.xOff, (p.maxLat-lat)*p.scale + mapPad
}

// bound returns the box of the zones and of the violations (which may lie
// in a buffer outside every zone).
func (r *Report) bound() orb.Bound {
	var b orb.Bound
	first := true
	extend := func(x orb.Bound) {
		if first {
			b, first = x, false
			return
		}
		b = b.Union(x)
	}
	for _, z := range r.shapes {
		if len(z.Geometry) > 0 {
			extend(z.Geometry.Bound())
		}
	}
	for _, v := range r.Violations {
		extend(orb.Point{v.Lon, v.Lat}.Bound())
	}
	if first {
		return orb.Bound{Min: orb.Point{-1, -1}, Max: orb.Point{1, 1}}
	}
	return b
}

// minStep is the shortest segment a zone path keeps, in SVG units: finer
// detail is invisible on the page and only weighs it down.
const minStep = 0.6

// zonePath returns the SVG path of a zone: every ring of every polygon,
// drawn with fill-rule evenodd so that holes stay open. A vertex closer
// than minStep to the last one kept is left out.
func (p projection) zonePath(mp orb.MultiPolygon) string {
	var b strings.Builder
	for _, poly := range mp {
		for _, ring := range poly {
			var lx, ly float64
			for i, pt := range ring {
				x, y := p.xy(pt.Lon(), pt.Lat())
				if i > 0 && math.Hypot(x-lx, y-ly) < minStep {
					continue
				}
				if i == 0 {
					b.WriteString("M")
				} else {
					b.WriteString("L")
				}
				fmt.Fprintf(&b, "%.1f %.1f", x, y)
				lx, ly = x, y
			}
			b.WriteString("Z")
		}
	}
	return b.String()
}

// labelPoint returns where to write a zone's id: the centroid of the outer
// ring of its largest polygon when it lies inside and off the holes, else
// the point nearest it of a grid over the polygon's box that does.
func labelPoint(mp orb.MultiPolygon) (orb.Point, bool) {
	var best orb.Polygon
	area := -1.0
	for _, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		if a := math.Abs(planar.Area(poly[0])); a > area {
			best, area = poly, a
		}
	}
	if len(best) == 0 || len(best[0]) == 0 {
		return orb.Point{}, false
	}
	c, _ := planar.CentroidArea(best[0])
	if planar.PolygonContains(best, c) && !onHole(best, c) {
		return c, true
	}
	// The inside point of a 9 × 9 grid over the box nearest the centroid.
	b := best[0].Bound()
	found, dist := best[0][0], math.Inf(1)
	for i := 1; i < 10; i++ {
		for j := 1; j < 10; j++ {
			p := orb.Point{b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/10, b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/10}
			if d := planar.DistanceSquared(p, c); d < dist && planar.PolygonContains(best, p) && !onHole(best, p) {
				found, dist = p, d
			}
		}
	}
	return found, true
}

// onHole reports whether p lies in the box of one of poly's holes, where a
// label would cover the hole's edge.
func onHole(poly orb.Polygon, p orb.Point) bool {
	for _, h := range poly[1:] {
		if h.Bound().Contains(p) {
			return true
		}
	}
	return false
}

// markerStyle is how one category is drawn.
type markerStyle struct {
	shape, colour, label string
}

// markerStyles gives each category a shape and a colour, so that markers
// read without colour too.
var markerStyles = map[monitor.Category]markerStyle{
	monitor.Shelling:       {"circle", "#c0392b", "Shelling"},
	monitor.AirStrike:      {"triangle", "#6c3483", "Air or drone strike"},
	monitor.ArmedClash:     {"diamond", "#d35400", "Armed clash"},
	monitor.Explosion:      {"square", "#1f3a5f", "Explosion / remote violence"},
	monitor.ThermalAnomaly: {"hexagon", "#b7950b", "Thermal anomaly"},
	monitor.Other:          {"cross", "#555555", "Other"},
}

// shape returns the SVG element of a marker shape centred at x, y.
func shape(kind string, x, y, r float64, attrs string) string {
	switch kind {
	case "circle":
		return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="%.1f" %s/>`, x, y, r, attrs)
	case "triangle":
		return fmt.Sprintf(`<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fZ" %s/>`, x, y-r*1.2, x+r*1.1, y+r*0.8, x-r*1.1, y+r*0.8, attrs)
	case "diamond":
		return fmt.Sprintf(`<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ" %s/>`, x, y-r*1.3, x+r*1.3, y, x, y+r*1.3, x-r*1.3, y, attrs)
	case "square":
		return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" %s/>`, x-r, y-r, 2*r, 2*r, attrs)
	case "hexagon":
		var b strings.Builder
		for i := range 6 {
			a := math.Pi / 3 * float64(i)
			fmt.Fprintf(&b, "%s%.1f %.1f", map[bool]string{true: "M", false: "L"}[i == 0], x+r*math.Cos(a), y+r*math.Sin(a))
		}
		return fmt.Sprintf(`<path d="%sZ" %s/>`, b.String(), attrs)
	}
	return fmt.Sprintf(`<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" %s/>`, x-r, y-r, x+r, y+r, x-r, y+r, x+r, y-r, attrs)
}

// marker returns the SVG element of one marker of style s and placement p.
func marker(s markerStyle, p monitor.Placement, x, y, r float64) string {
	attrs := placementAttrs(p, s.colour)
	if s.shape == "cross" { // a cross has no inside to fill: its stroke carries the colour
		attrs = fmt.Sprintf(`fill="none" stroke="%s" stroke-width="2.5"`, s.colour)
		if p == monitor.Ambiguous {
			attrs += ` stroke-dasharray="2 1.5" opacity="0.8"`
		}
	}
	return shape(s.shape, x, y, r, attrs)
}

// placementAttrs draws inside placements filled, buffer ones hollow and
// ambiguous ones dashed and faint.
func placementAttrs(p monitor.Placement, colour string) string {
	switch p {
	case monitor.Buffer:
		return fmt.Sprintf(`fill="#ffffff" stroke="%s" stroke-width="2"`, colour)
	case monitor.Ambiguous:
		return fmt.Sprintf(`fill="none" stroke="%s" stroke-width="1.5" stroke-dasharray="2.5 1.5" opacity="0.8"`, colour)
	}
	return fmt.Sprintf(`fill="%s" stroke="#ffffff" stroke-width="1" stroke-opacity="0.9"`, colour)
}

func style(c monitor.Category) markerStyle {
	if s, ok := markerStyles[c]; ok {
		return s
	}
	return markerStyles[monitor.Other]
}
