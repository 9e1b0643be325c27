package geo

import "math"

// The grid answers Locate. A top-level grid of square-ish cells covers the
// bounding box of all zones; each cell holds one 32-bit word (stored
// compactly, see top16) whose two high bits say what it is:
//
//	tagEmpty  no zone touches the cell (the word is 0)
//	tagZone   the cell lies entirely inside one zone, the low bits
//	tagBlock  the cell is split into 4×4 sub-cells, words at blocks[low bits:]
//	tagLeaf   records from leaf[low bits]: zones that contain the whole cell,
//	          and polygons whose boundary crosses it, with those edges; or,
//	          when bit leafSide is set, the side leaf sides[the bits below]
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
	x0, y0, x1, y1 float64  // bounding box of all zones, degrees
	sx, sy         float64  // top-level cells per degree
	w, h           int      // top-level cells
	top            []uint32 // the words, or nil when top16 holds them
	blocks         []uint32
	leaf           []uint32   // the leaves, see leafWord
	edges          []edge     // every polygon edge, referred to by leaves
	sides          []sideLeaf // the side leaves, shared by neighbouring cells

	// The compact form of top, used whenever it fits: 16 bits per cell
	// keep the top level small enough to stay in cache. A value v below
	// zoneEnd is 0 for an empty cell or 1 + the zone of a cell inside
	// one zone; any other value stands for the word ext[rowOff[row]+v].
	// top16 has one more column on the left and one more row below, all
	// empty: a point less than a cell left of or below the zones, whose
	// cell number truncates to 0, then lands in one of them, and
	// Index.Locate needs no comparison of coordinates (it hands the
	// padding to grid.locate, since a point on the zones' lowest or
	// leftmost coordinate can round into it). Its origin is (px, py) and
	// it is pw by ph cells; pw and ph are 0 when top16 is not used.
	top16   []uint16
	zoneEnd uint16
	rowOff  []int32
	ext     []uint32
	px, py  float64
	pw, ph  uint
}

const (
	tagShift = 30
	tagMask  = 1<<tagShift - 1
	tagEmpty = 0
	tagZone  = 1
	tagBlock = 2
	tagLeaf  = 3
	fanout   = 4 // sub-cells per side of a split cell
)

// edge is one polygon edge from (x0, y0) to (x1, y1). The builder lists
// every edge once, in polygon order, and leaves refer to them by index.
type edge struct {
	x0, y0, x1, y1 float64
}

// A leaf is a run of 32-bit words in grid.leaf:
//
//	header  the reference point (x, y) as two float64 in four words, on no
//	        edge of the leaf (NaN when none was found); the number of
//	        entries that follow
//	entry   the polygon's index into parts; its zone; its flags
//	        (entryRefIn, entryRefOnLine) in the top two bits and below
//	        them the number of edge words that follow (0: the polygon
//	        contains the whole cell)
//	edge    an index into grid.edges, with edgeFlip set when the reference
//	        point lies to the right of the edge
//
// When the header's count has leafPair set, the leaf is a border between
// two zones: two entries of polygons of different zones whose edges in the
// cell are the same segments and of which exactly one contains the
// reference point. Only the first lists its edges. Off those edges each
// point of the cell is then in exactly one of the two (both polygons flip
// at the same places), and on them in both, so one count of crossings
// answers for both zones.
//
// Leaves refer to edges rather than copying them: a leaf is then a cache
// line or two, and an edge shared by neighbouring leaves is stored once.
const (
	entryRefIn     = 1 << 30 // the polygon contains the reference point
	entryRefOnLine = 1 << 31 // the reference point is on the line of an edge
	entryCount     = 1<<30 - 1
	edgeFlip       = 1 << 31
	leafPair       = 1 << 31 // in the header's count: a border of two zones
	leafSide       = 1 << 29 // in a tagLeaf word: the rest indexes sides
)

// sideLeaf is a side leaf: the edge from (x0, y0) to (x1, y1), the zone on
// its left (zone[0]) and the zone on its right (zone[1]).
type sideLeaf struct {
	x0, y0, x1, y1 float64
	zone           [2]int32
}

func (g *grid) locate(parts []part, x, y float64, dst []int) []int {
	if !(x >= g.x0 && x <= g.x1 && y >= g.y0 && y <= g.y1) {
		return dst
	}
	fx, fy := (x-g.x0)*g.sx, (y-g.y0)*g.sy
	cx, cy := min(int(fx), g.w-1), min(int(fy), g.h-1)
	var w uint32
	if g.top16 != nil {
		v := g.top16[(cy+1)*(g.w+1)+cx+1]
		if v < g.zoneEnd {
			if v == 0 {
				return dst
			}
			return append(dst, int(v)-1)
		}
		w = g.ext[int(g.rowOff[cy])+int(v)]
	} else {
		w = g.top[cy*g.w+cx]
	}
	return g.descend(parts, x, y, fx, fy, cx, cy, w, dst)
}

// descend answers for a point (x, y) in top-level cell (cx, cy), whose word
// is w, at (fx, fy) in units of top-level cells.
func (g *grid) descend(parts []part, x, y, fx, fy float64, cx, cy int, w uint32, dst []int) []int {
	for w>>tagShift == tagBlock {
		fx, fy = (fx-float64(cx))*fanout, (fy-float64(cy))*fanout
		cx, cy = min(int(fx), fanout-1), min(int(fy), fanout-1)
		w = g.blocks[int(w&tagMask)+cy*fanout+cx]
	}
	switch w >> tagShift {
	case tagZone:
		return append(dst, int(w&tagMask))
	case tagLeaf:
		if w&leafSide != 0 {
			return g.sides[w&(leafSide-1)].locate(x, y, dst)
		}
		return g.locateLeaf(parts, g.leaf[w&tagMask:], x, y, dst)
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

func (g *grid) locateLeaf(parts []part, words []uint32, x, y float64, dst []int) []int {
	rx := math.Float64frombits(uint64(words[0]) | uint64(words[1])<<32)
	ry := math.Float64frombits(uint64(words[2]) | uint64(words[3])<<32)
	head := words[4]
	words = words[5:]
	if head&leafPair != 0 {
		return g.locatePair(parts, words, x, y, rx, ry, dst)
	}
	n := int(head & entryCount)
	start := len(dst)
	for ; n > 0; n-- {
		part, z, flags := int(words[0]), int(words[1]), words[2]
		ne := int(flags & entryCount)
		edges := words[3 : 3+ne]
		words = words[3+ne:]
		if k := len(dst); k > start && dst[k-1] == z {
			continue
		}
		in := ne == 0
		if !in {
			ok := false
			if flags&entryRefOnLine == 0 && !math.IsNaN(rx) {
				in, _, ok = leafContains(g.edges, edges, x, y, rx, ry, flags&entryRefIn != 0)
			}
			if !ok {
				in = polygonContains(parts[part].poly, x, y)
			}
		}
		if in {
			dst = append(dst, z)
		}
	}
	return dst
}

// locatePair answers for a leaf with leafPair set, whose entries are
// words. Entries follow the order of parts, whose zones ascend, so za < zb
// and the answer comes out in ascending zone order as Locate promises.
func (g *grid) locatePair(parts []part, words []uint32, x, y, rx, ry float64, dst []int) []int {
	pa, za, flags := int(words[0]), int(words[1]), words[2]
	ne := int(flags & entryCount)
	pb, zb := int(words[3+ne]), int(words[4+ne])
	var inA, on, ok bool
	if flags&entryRefOnLine == 0 {
		inA, on, ok = leafContains(g.edges, words[3:3+ne], x, y, rx, ry, flags&entryRefIn != 0)
	}
	inB := !inA || on
	if !ok {
		inA, inB = polygonContains(parts[pa].poly, x, y), polygonContains(parts[pb].poly, x, y)
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
// refs (indexes into edges) contains p, given that it contains the
// reference point r exactly when refIn; r lies on no edge's line, on the
// side that edgeFlip gives. A point on an edge is inside (on is then
// true); otherwise each edge crossing the segment from p to r flips the
// answer. ok is false when a vertex lies on that segment, where counting
// is ambiguous, and the caller must decide by other means.
func leafContains(edges []edge, refs []uint32, px, py, rx, ry float64, refIn bool) (in, on, ok bool) {
	odd := refIn
	lox, hix := min(px, rx), max(px, rx)
	loy, hiy := min(py, ry), max(py, ry)
	for _, ref := range refs {
		s := &edges[ref&^edgeFlip]
		if max(s.x0, s.x1) < lox || min(s.x0, s.x1) > hix ||
			max(s.y0, s.y1) < loy || min(s.y0, s.y1) > hiy {
			continue
		}
		d, e := orientDet(s.x0, s.y0, s.x1, s.y1, px, py)
		// Seen from r's side of the edge: positive when p is there too.
		d = math.Float64frombits(math.Float64bits(d) ^ uint64(ref&edgeFlip)<<32)
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
		if ref&edgeFlip != 0 {
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

// orientSign is orient with the float64 filter inlined.
func orientSign(ax, ay, bx, by, cx, cy float64) int {
	d, e := orientDet(ax, ay, bx, by, cx, cy)
	if d > e {
		return 1
	}
	if d < -e {
		return -1
	}
	return orientExact(ax, ay, bx, by, cx, cy)
}

func inBox(x, y, lox, loy, hix, hiy float64) bool {
	return x >= lox && x <= hix && y >= loy && y <= hiy
}
