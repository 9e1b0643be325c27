package geo

import "math"

// refPoint picks a point of bx on none of the edges of items, or NaN. A
// leaf wants more, a point on none of the edges' lines; offLines moves it
// there once the cell is known to be a leaf.
func (b *gridBuilder) refPoint(bx box, items []item) (float64, float64) {
	for _, f := range refFractions {
		x := bx.x0 + f[0]*(bx.x1-bx.x0)
		y := bx.y0 + f[1]*(bx.y1-bx.y0)
		if !b.onAnyEdge(items, x, y, false) {
			return x, y
		}
	}
	return math.NaN(), math.NaN()
}

// refFractions are the relative positions in a cell tried, in order, for
// its reference point.
var refFractions = [...][2]float64{
	{0.5, 0.5}, {0.381966, 0.618034}, {0.618034, 0.381966}, {0.236068, 0.236068},
	{0.763932, 0.763932}, {0.145898, 0.854102}, {0.854102, 0.145898}, {0.3, 0.7},
}

// offLines returns a reference point for the leaf bx on none of the lines
// of its edges when one of refFractions is, updating each polygon's
// containment of it; otherwise it returns (rx, ry), the current one.
func (b *gridBuilder) offLines(bx box, rx, ry float64, items []item) (float64, float64) {
	if math.IsNaN(rx) || !b.onAnyEdge(items, rx, ry, true) {
		return rx, ry
	}
	for _, f := range refFractions {
		x := bx.x0 + f[0]*(bx.x1-bx.x0)
		y := bx.y0 + f[1]*(bx.y1-bx.y0)
		if b.onAnyEdge(items, x, y, true) {
			continue
		}
		// The segment between the two points lies in the cell, so the
		// cell's edges are all that can cross it.
		for i := range items {
			if it := &items[i]; it.edges != nil {
				it.in = b.walk(it.part, it.in, rx, ry, x, y, it.edges, nil)
			}
		}
		return x, y
	}
	return rx, ry
}

// onAnyEdge reports whether (x, y) lies on an edge of items or, when
// lines is set, on the line through one.
func (b *gridBuilder) onAnyEdge(items []item, x, y float64, lines bool) bool {
	for _, it := range items {
		for _, ei := range it.edges {
			if sb := &b.bounds[ei]; !lines && !inBox(x, y, sb.x0, sb.y0, sb.x1, sb.y1) {
				continue
			}
			s := &b.edges[ei]
			if orient(s.x0, s.y0, s.x1, s.y1, x, y) == 0 {
				return true
			}
		}
	}
	return false
}

// walk reports whether polygon part contains (x, y), a point on none of
// its edges, given whether it contains (rx, ry), from the edges crossing
// the segment between them. a and b are ascending edge lists whose union
// holds every edge that can meet the segment; an edge in both counts once.
func (b *gridBuilder) walk(part int32, in bool, rx, ry, x, y float64, a, c []int32) bool {
	lox, hix := min(x, rx), max(x, rx)
	loy, hiy := min(y, ry), max(y, ry)
	for len(a) > 0 || len(c) > 0 {
		var ei int32
		switch {
		case len(c) == 0 || (len(a) > 0 && a[0] < c[0]):
			ei, a = a[0], a[1:]
		case len(a) == 0 || c[0] < a[0]:
			ei, c = c[0], c[1:]
		default: // the same edge in both lists
			ei, a, c = a[0], a[1:], c[1:]
		}
		if sb := &b.bounds[ei]; sb.y1 < loy || sb.y0 > hiy || sb.x1 < lox || sb.x0 > hix {
			continue
		}
		s := &b.edges[ei]
		o1 := orient(x, y, rx, ry, s.x0, s.y0)
		o2 := orient(x, y, rx, ry, s.x1, s.y1)
		if (o1 == 0 && inBox(s.x0, s.y0, lox, loy, hix, hiy)) ||
			(o2 == 0 && inBox(s.x1, s.y1, lox, loy, hix, hiy)) {
			return polygonContains(b.parts[part].poly, x, y)
		}
		if o1*o2 < 0 && orient(s.x0, s.y0, s.x1, s.y1, x, y)*orient(s.x0, s.y0, s.x1, s.y1, rx, ry) < 0 {
			in = !in
		}
	}
	return in
}

// segTouchesBox reports whether segment s, whose bounding box is sb, meets
// the closed box bx, exactly.
func segTouchesBox(s *edge, sb *box, bx box) bool {
	if sb.x1 < bx.x0 || sb.x0 > bx.x1 || sb.y1 < bx.y0 || sb.y0 > bx.y1 {
		return false
	}
	if inBox(s.x0, s.y0, bx.x0, bx.y0, bx.x1, bx.y1) || inBox(s.x1, s.y1, bx.x0, bx.y0, bx.x1, bx.y1) {
		return true
	}
	// The bounding boxes overlap: the segment misses the box only when all
	// four corners lie strictly on one side of its line.
	o := orient(s.x0, s.y0, s.x1, s.y1, bx.x0, bx.y0)
	return o == 0 ||
		orient(s.x0, s.y0, s.x1, s.y1, bx.x1, bx.y0) != o ||
		orient(s.x0, s.y0, s.x1, s.y1, bx.x0, bx.y1) != o ||
		orient(s.x0, s.y0, s.x1, s.y1, bx.x1, bx.y1) != o
}
