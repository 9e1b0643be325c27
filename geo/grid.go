package geo

import "math"

// The grid answers Locate. A top-level grid of square-ish cells covers the
// bounding box of all zones; each cell holds one cellWord (stored
// compactly, see top16), which says what the cell is (see cellWord): empty,
// inside one zone, split into a block of sub-cells, or a leaf. A leaf
// lists the zones that contain the whole cell, and the polygons whose
// boundary crosses it with those edges; a side leaf is one edge between
// two zones.
//
// A point in a leaf is decided per polygon by counting the polygon's edges
// that cross the segment from the point to the leaf's reference point,
// whose containment was computed at build time. Boundary cells are chosen
// conservatively: a cell lists every edge that touches it grown by
// cellMargin degrees, so rounding in the cell arithmetic can never hide an
// edge.
//
// A side leaf is a cell that one edge shared by two zones crosses and no
// other edge touches: the edge's ends then lie outside the (grown) cell,
// so the line through the edge meets the cell only along the edge, and
// the edge cuts the cell into two parts, each inside one of the zones. The
// sign of one orientation answers: left, right or on the edge (both).
// Most cells along borders between zones are side leaves, and answering
// one reads one 40-byte record instead of a leaf header and its edges.
type grid struct {
	x0, y0, x1, y1 float64    // bounding box of all zones, degrees
	sx, sy         float64    // top-level cells per degree
	w, h           int        // top-level cells
	top            []cellWord // the words, row by row, or nil when top16 holds them
	blocks         []cellWord
	leaf           []uint32   // the leaves, see leafHeadWords
	edges          []edge     // every polygon edge, referred to by leaves
	sides          []sideLeaf // the side leaves, shared by neighbouring cells
	parts          []part     // the polygons that leaf entries refer to

	// locate numbers cells from (px, py), one cell left of and below
	// (x0, y0), so that a point less than a cell beyond the zones, whose
	// cell number truncates towards zero, gets number 0 rather than that
	// of the first cell; cell (cx, cy) of top is then numbered
	// (cx+1, cy+1). uw and uh are w and h, or 0 when the box has no
	// width or height (sx or sy is then 0 and the numbers are NaN).
	px, py float64
	uw, uh uint

	// The compact form of top, used whenever it fits: 16 bits per cell
	// keep the top level small enough to stay in cache. A value v below
	// zoneEnd is 0 for an empty cell or 1 + the zone of a cell inside
	// one zone; any other value stands for the word ext[rowOff[row]+v].
	top16   []uint16
	zoneEnd uint16
	rowOff  []int32
	ext     []cellWord
}

const fanout = 4 // sub-cells per side of a split cell

// edge is one polygon edge from (x0, y0) to (x1, y1). The builder lists
// every edge once, in polygon order, and leaves refer to them by index:
// a leaf is then a cache line or two, and an edge shared by neighbouring
// leaves is stored once.
type edge struct {
	x0, y0, x1, y1 float64
}

// sideLeaf is a side leaf: the edge from (x0, y0) to (x1, y1), the zone on
// its left (zone[0]) and the zone on its right (zone[1]).
type sideLeaf struct {
	x0, y0, x1, y1 float64
	zone           [2]int32
}

// locate appends to dst the zones whose polygons contain (x, y), in
// ascending order: it is Index.Locate, the one lookup of the grid. Most points lie in a top-level cell
// inside one zone or none, and the rest mostly in a split one; one
// unsigned comparison per axis tells that the point is in some top-level
// cell. The rest, NaN and points beyond the zones included, are checked
// against the bounding box: a point on the zones' lowest or leftmost
// coordinate can round to number 0, and one on the highest or rightmost
// to the number after the last cell.
func (g *grid) locate(x, y float64, dst []int) []int {
	fx, fy := (x-g.px)*g.sx, (y-g.py)*g.sy
	cx, cy := uint(int(fx))-1, uint(int(fy))-1
	if cx >= g.uw || cy >= g.uh {
		var in bool
		if fx, fy, cx, cy, in = g.rim(x, y); !in {
			return dst
		}
	}
	i := cy*uint(g.w) + cx
	var w cellWord
	if g.top16 != nil {
		v := g.top16[i]
		if v < g.zoneEnd {
			if v == 0 {
				return dst
			}
			return append(dst, int(v)-1)
		}
		w = g.ext[int(g.rowOff[cy])+int(v)]
	} else {
		w = g.top[i]
	}
	return g.descend(x, y, fx-1, fy-1, int(cx), int(cy), w, dst)
}

// rim numbers the cell of a point whose number from locate's arithmetic
// falls outside the grid: in is false when the point lies beyond the
// zones' bounding box (or is NaN), else the cell is the nearest one. It
// is kept out of locate, whose common case it would slow.
//
//go:noinline
func (g *grid) rim(x, y float64) (fx, fy float64, cx, cy uint, in bool) {
	if !(x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1) {
		return 0, 0, 0, 0, false
	}
	fx, fy = 1+(x-g.x0)*g.sx, 1+(y-g.y0)*g.sy
	return fx, fy, uint(min(int(fx), g.w) - 1), uint(min(int(fy), g.h) - 1), true
}

// descend answers for a point (x, y) in top-level cell (cx, cy), whose word
// is w, at (fx, fy) in units of top-level cells.
func (g *grid) descend(x, y, fx, fy float64, cx, cy int, w cellWord, dst []int) []int {
	for w.tag() == cellBlock {
		fx, fy = (fx-float64(cx))*fanout, (fy-float64(cy))*fanout
		cx, cy = min(int(fx), fanout-1), min(int(fy), fanout-1)
		w = g.blocks[w.block()+cy*fanout+cx]
	}
	switch w.tag() {
	case cellZone:
		return append(dst, w.zone())
	case cellLeaf:
		if w.side() {
			return g.sides[w.sideLeaf()].locate(x, y, dst)
		}
		return g.locateLeaf(g.leaf[w.leaf():], x, y, dst)
	}
	return dst
}

// locate answers for a point of the side leaf's cell. Which side a point
// is on is as good as a coin toss, so the common case indexes zone by the
// determinant's sign bit rather than branching on it.
func (s *sideLeaf) locate(x, y float64, dst []int) []int {
	d, e := orientDet(s.x0, s.y0, s.x1, s.y1, x, y)
	if math.Abs(d) > e {
		return append(dst, int(s.zone[math.Float64bits(d)>>63]))
	}
	switch orientExact(s.x0, s.y0, s.x1, s.y1, x, y) {
	case 1:
		return append(dst, int(s.zone[0]))
	case -1:
		return append(dst, int(s.zone[1]))
	}
	return append(dst, int(min(s.zone[0], s.zone[1])), int(max(s.zone[0], s.zone[1])))
}

// locateLeaf answers for a point of the leaf that starts words.
func (g *grid) locateLeaf(words []uint32, x, y float64, dst []int) []int {
	rx, ry, head := leafHeader(words)
	words = words[leafHeadWords:]
	if head.pair() {
		return g.locatePair(words, x, y, rx, ry, dst)
	}
	start := len(dst)
	for n := head.entries(); n > 0; n-- {
		part, z, flags := int(words[0]), int(words[1]), entryFlags(words[2])
		ne := flags.edges()
		edges := words[entryWords : entryWords+ne]
		words = words[entryWords+ne:]
		if k := len(dst); k > start && dst[k-1] == z {
			continue
		}
		in := ne == 0
		if !in {
			ok := false
			if !flags.refOnLine() && !math.IsNaN(rx) {
				in, _, ok = leafContains(g.edges, edges, x, y, rx, ry, flags.refIn())
			}
			if !ok {
				in = polygonContains(g.parts[part].poly, x, y)
			}
		}
		if in {
			dst = append(dst, z)
		}
	}
	return dst
}

// locatePair answers for a leaf whose header has pair() set, whose entries are
// words. Entries follow the order of parts, whose zones ascend, so za < zb
// and the answer comes out in ascending zone order as Locate promises.
func (g *grid) locatePair(words []uint32, x, y, rx, ry float64, dst []int) []int {
	pa, za, flags := int(words[0]), int(words[1]), entryFlags(words[2])
	ne := flags.edges()
	pb, zb := int(words[entryWords+ne]), int(words[entryWords+ne+1])
	var inA, on, ok bool
	if !flags.refOnLine() {
		inA, on, ok = leafContains(g.edges, words[entryWords:entryWords+ne], x, y, rx, ry, flags.refIn())
	}
	inB := !inA || on
	if !ok {
		inA, inB = polygonContains(g.parts[pa].poly, x, y), polygonContains(g.parts[pb].poly, x, y)
	}
	if inA {
		dst = append(dst, za)
	}
	if inB {
		dst = append(dst, zb)
	}
	return dst
}

// leafContains decides whether the polygon whose edges near p and r are
// refs (edgeRef words) contains p, given that it contains the reference
// point r exactly when refIn; r lies on no edge's line, on the side that
// each edgeRef gives. A point on an edge is inside (on is then
// true); otherwise each edge crossing the segment from p to r flips the
// answer. ok is false when a vertex lies on that segment, where counting
// is ambiguous, and the caller must decide by other means.
func leafContains(edges []edge, refs []uint32, px, py, rx, ry float64, refIn bool) (in, on, ok bool) {
	odd := refIn
	lox, hix := min(px, rx), max(px, rx)
	loy, hiy := min(py, ry), max(py, ry)
	for _, word := range refs {
		ref := edgeRef(word)
		s := &edges[ref.edge()]
		if max(s.x0, s.x1) < lox || min(s.x0, s.x1) > hix ||
			max(s.y0, s.y1) < loy || min(s.y0, s.y1) > hiy {
			continue
		}
		d, e := orientDet(s.x0, s.y0, s.x1, s.y1, px, py)
		// Seen from r's side of the edge: positive when p is there too.
		d = math.Float64frombits(math.Float64bits(d) ^ ref.flipSign())
		if d > e {
			continue // p and r on the same side of the edge's line
		}
		if d < -e {
			// p and r on opposite sides: the segment p–r meets the edge's
			// line between them; the edge's ends decide whether it meets
			// the edge itself.
			d1, e1 := orientDet(px, py, rx, ry, s.x0, s.y0)
			d2, e2 := orientDet(px, py, rx, ry, s.x1, s.y1)
			if (d1 > e1 && d2 > e2) || (d1 < -e1 && d2 < -e2) {
				continue
			}
			if (d1 > e1 && d2 < -e2) || (d1 < -e1 && d2 > e2) {
				odd = !odd
				continue
			}
		}
		rside := 1
		if ref.flipped() {
			rside = -1
		}
		switch edgeCrossing(s, rside, px, py, rx, ry) {
		case crossOn:
			return true, true, true
		case crossYes:
			odd = !odd
		case crossAmbiguous:
			return false, false, false
		}
	}
	return odd, false, true
}

// Outcomes of edgeCrossing.
const (
	crossNo = iota
	crossYes
	crossOn        // p lies on the edge
	crossAmbiguous // a vertex lies on the segment p–r
)

// edgeCrossing classifies, exactly, how the edge s meets the segment from p
// to r, where r lies strictly on side rside (1 left, -1 right) of the
// edge's line.
func edgeCrossing(s *edge, rside int, px, py, rx, ry float64) int {
	op := orient(s.x0, s.y0, s.x1, s.y1, px, py)
	if op == 0 {
		if inBox(px, py, min(s.x0, s.x1), min(s.y0, s.y1), max(s.x0, s.x1), max(s.y0, s.y1)) {
			return crossOn
		}
		return crossNo // the segment meets the line only at p, off the edge
	}
	if op == rside {
		return crossNo
	}
	// p and r lie strictly on opposite sides of the edge's line, so the
	// segment p–r meets that line at one point strictly between them.
	o1 := orient(px, py, rx, ry, s.x0, s.y0)
	o2 := orient(px, py, rx, ry, s.x1, s.y1)
	switch {
	case o1 == 0 || o2 == 0:
		return crossAmbiguous // that point is a vertex
	case o1 != o2:
		return crossYes
	}
	return crossNo
}

func inBox(x, y, lox, loy, hix, hiy float64) bool {
	return x >= lox && x <= hix && y >= loy && y <= hiy
}
