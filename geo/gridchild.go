package geo

import "math"

// child returns the polygons of the sub-region bx of a region with
// reference point (rx, ry) and polygons items, with a reference point for
// bx and each polygon's containment of it. Polygons that miss bx are
// dropped and those that cover it lose their edge list. The result lives
// on the builder's stacks until the caller truncates them. A NaN reference
// point means none could be found off the edges; containment is then
// decided by a full ray-cast.
func (b *gridBuilder) child(bx box, rx, ry float64, items []item) ([]item, float64, float64) {
	grown := box{bx.x0 - cellMargin, bx.y0 - cellMargin, bx.x1 + cellMargin, bx.y1 + cellMargin}
	start := len(b.items)
	for _, it := range items {
		if it.edges == nil {
			b.items = append(b.items, it)
			continue
		}
		first := len(b.idx)
		for _, ei := range it.edges {
			if segTouchesBox(&b.edges[ei], grown) {
				b.idx = append(b.idx, ei)
			}
		}
		b.items = append(b.items, item{part: it.part, in: it.in, edges: b.idx[first:len(b.idx):len(b.idx)]})
	}
	out := b.items[start:]
	cx, cy := b.refPoint(bx, out)
	mx, my := bx.x0+(bx.x1-bx.x0)/2, bx.y0+(bx.y1-bx.y0)/2
	kept := out[:0]
	for i, it := range out {
		switch {
		case it.edges == nil:
		case len(it.edges) == 0:
			// No edge touches bx, so its centre decides for all of it.
			if !b.statusAt(items[i], mx, my, rx, ry) {
				continue
			}
			it.edges = nil
		case !math.IsNaN(cx):
			it.in = b.statusAt(items[i], cx, cy, rx, ry)
		}
		kept = append(kept, it)
	}
	b.items = b.items[:start+len(kept)]
	return kept, cx, cy
}

// refPoint picks a point of bx on none of the edges of items, or NaN.
func (b *gridBuilder) refPoint(bx box, items []item) (float64, float64) {
	// Relative positions tried in order; the first on no edge is taken.
	fractions := [...][2]float64{
		{0.5, 0.5}, {0.381966, 0.618034}, {0.618034, 0.381966}, {0.236068, 0.236068},
		{0.763932, 0.763932}, {0.145898, 0.854102}, {0.854102, 0.145898}, {0.3, 0.7},
	}
	for _, f := range fractions {
		x := bx.x0 + f[0]*(bx.x1-bx.x0)
		y := bx.y0 + f[1]*(bx.y1-bx.y0)
		if !b.onAnyEdge(items, x, y) {
			return x, y
		}
	}
	return math.NaN(), math.NaN()
}

func (b *gridBuilder) onAnyEdge(items []item, x, y float64) bool {
	for _, it := range items {
		for _, ei := range it.edges {
			s := &b.edges[ei]
			if onSegment(s.ax, s.ay, s.bx, s.by, x, y) {
				return true
			}
		}
	}
	return false
}

// statusAt reports whether the polygon of parent contains (x, y), a point
// on none of its edges, from the parent region's reference point (rx, ry)
// and the edges touching the parent region.
func (b *gridBuilder) statusAt(parent item, x, y, rx, ry float64) bool {
	if math.IsNaN(rx) {
		return polygonContains(b.parts[parent.part].poly, x, y)
	}
	odd := parent.in
	lox, hix := min(x, rx), max(x, rx)
	loy, hiy := min(y, ry), max(y, ry)
	for _, ei := range parent.edges {
		s := &b.edges[ei]
		if max(s.ax, s.bx) < lox || min(s.ax, s.bx) > hix ||
			max(s.ay, s.by) < loy || min(s.ay, s.by) > hiy {
			continue
		}
		o1 := orient(x, y, rx, ry, s.ax, s.ay)
		o2 := orient(x, y, rx, ry, s.bx, s.by)
		if (o1 == 0 && inBox(s.ax, s.ay, lox, loy, hix, hiy)) ||
			(o2 == 0 && inBox(s.bx, s.by, lox, loy, hix, hiy)) {
			return polygonContains(b.parts[parent.part].poly, x, y)
		}
		if o1*o2 < 0 && orient(s.ax, s.ay, s.bx, s.by, x, y)*orient(s.ax, s.ay, s.bx, s.by, rx, ry) < 0 {
			odd = !odd
		}
	}
	return odd
}

// segTouchesBox reports whether segment s meets the closed box bx, exactly.
func segTouchesBox(s *seg, bx box) bool {
	lox, hix := min(s.ax, s.bx), max(s.ax, s.bx)
	loy, hiy := min(s.ay, s.by), max(s.ay, s.by)
	if hix < bx.x0 || lox > bx.x1 || hiy < bx.y0 || loy > bx.y1 {
		return false
	}
	if inBox(s.ax, s.ay, bx.x0, bx.y0, bx.x1, bx.y1) || inBox(s.bx, s.by, bx.x0, bx.y0, bx.x1, bx.y1) {
		return true
	}
	// The bounding boxes overlap: the segment misses the box only when all
	// four corners lie strictly on one side of its line.
	o := orient(s.ax, s.ay, s.bx, s.by, bx.x0, bx.y0)
	return o == 0 ||
		orient(s.ax, s.ay, s.bx, s.by, bx.x1, bx.y0) != o ||
		orient(s.ax, s.ay, s.bx, s.by, bx.x0, bx.y1) != o ||
		orient(s.ax, s.ay, s.bx, s.by, bx.x1, bx.y1) != o
}
