package geo

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Grid tuning. Cells are split until their polygons have at most leafEdges
// edges in all, for at most maxDepth levels below the top grid and never
// below minCell degrees. Boundary cells of the top grid are split at least
// minLeafDepth levels, unless one edge of a border between two zones is all
// that crosses them (a side leaf, see grid): most of a split cell's area
// then lies inside one zone and is answered without reading a leaf, which
// lets the top grid itself stay coarse (topPerEdge) and small enough to
// stay in the second level cache (660 KB for the Minregion file): four
// cells per edge rather than two send a third fewer points below the top
// grid, which is worth the larger table.
const (
	cellMargin   = 1e-9 // degrees a cell is grown by when listing its edges
	leafEdges    = 8
	maxDepth     = 6
	minLeafDepth = 1
	minCell      = 1e-6
	topPerEdge   = 4       // top-level cells per polygon edge
	topMin       = 1 << 10 // top-level cells, at least
	topMax       = 1 << 20 // and at most
	topBoundary  = 0.05    // share of top-level cells on a boundary, at most
)

// item is one polygon as seen from a region of the grid being built.
type item struct {
	part  int32
	in    bool    // the polygon contains the region's reference point
	edges []int32 // edges touching the region; nil when it covers it all
}

type box struct{ x0, y0, x1, y1 float64 }

// gridBuilder holds the scratch state of buildGrid.
type gridBuilder struct {
	g        *grid
	parts    []part
	edges    []edge
	bounds   []box   // of each edge: its bounding box
	idx      []int32 // stack of edge lists of the regions being visited
	items    []item  // stack of item lists
	kids     []kid   // stack of child lists
	pairs    []kidEdge
	segs     []edge // scratch of isPair
	interior map[string]cellWord
	sides    map[sideLeaf]cellWord // side leaves made so far, by content
}

// buildGrid builds the grid of parts, with the top level in its compact
// form when compact is set and the form fits (tests clear compact to
// exercise the plain form, which only 65,535 zones or more need).
func buildGrid(parts []part, compact bool) grid {
	g := grid{parts: parts, x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}
	b, root := newGridBuilder(&g, parts)
	if len(parts) == 0 {
		return g
	}
	length := 0.0
	for i := range b.edges {
		s := &b.edges[i]
		length += math.Hypot(s.x1-s.x0, s.y1-s.y0)
	}
	g.w, g.h = topSize(g.x1-g.x0, g.y1-g.y0, len(b.edges), length)
	g.sx, g.sy = float64(g.w)/(g.x1-g.x0), float64(g.h)/(g.y1-g.y0)
	if g.x1 == g.x0 {
		g.sx = 0
	}
	if g.y1 == g.y0 {
		g.sy = 0
	}
	g.top = make([]cellWord, g.w*g.h)
	// Detailed boundary files need about eight leaf words per edge.
	g.leaf = make([]uint32, 0, 8*len(b.edges))
	g.edges = b.edges // leaves refer to the edges by their index here
	// The reference point of the root lies outside every polygon.
	kids := b.split([]float64{g.x0, g.x1}, []float64{g.y0, g.y1}, g.x0-1, g.y0-1, root)
	b.region(0, 0, g.w, g.h, kids[0].rx, kids[0].ry, kids[0].items)
	if cap(g.leaf) > len(g.leaf)+len(g.leaf)/4 {
		g.leaf = append([]uint32(nil), g.leaf...)
	}
	g.sides = slices.Clip(g.sides)
	if compact {
		g.compact(parts[len(parts)-1].zone + 1)
	}
	g.px, g.py = g.x0-1/g.sx, g.y0-1/g.sy
	if g.sx != 0 && g.sy != 0 {
		g.uw, g.uh = uint(g.w), uint(g.h)
	}
	return g
}

// newGridBuilder lists every edge of parts, widens g's bounding box to
// theirs, and returns the builder with the root's items: every polygon,
// with all its edges.
func newGridBuilder(g *grid, parts []part) (*gridBuilder, []item) {
	b := &gridBuilder{g: g, parts: parts, interior: map[string]cellWord{}, sides: map[sideLeaf]cellWord{},
		idx: make([]int32, 0, 1<<16)}
	root := make([]item, 0, len(parts))
	total := 0
	for _, p := range parts {
		for _, r := range p.poly {
			total += len(r) - 1
		}
	}
	b.edges = make([]edge, 0, total)
	b.bounds = make([]box, total)
	ids := make([]int32, total)
	for pi, p := range parts {
		g.x0, g.y0 = min(g.x0, p.bound.Min[0]), min(g.y0, p.bound.Min[1])
		g.x1, g.y1 = max(g.x1, p.bound.Max[0]), max(g.y1, p.bound.Max[1])
		first := len(b.edges)
		for _, r := range p.poly {
			for i := 0; i+1 < len(r); i++ {
				s := edge{r[i][0], r[i][1], r[i+1][0], r[i+1][1]}
				b.bounds[len(b.edges)] = box{min(s.x0, s.x1), min(s.y0, s.y1), max(s.x0, s.x1), max(s.y0, s.y1)}
				b.edges = append(b.edges, s)
			}
		}
		own := ids[first:len(b.edges):len(b.edges)]
		for i := range own {
			own[i] = int32(first + i)
		}
		root = append(root, item{part: int32(pi), edges: own})
	}
	return b, root
}

// compact moves the top-level words into top16, ext and rowOff when they
// fit: nzones zones, and per row fewer words in ext than the values that
// 16 bits leave above the zones.
func (g *grid) compact(nzones int) {
	if nzones >= 1<<16-1 {
		return
	}
	zoneEnd := nzones + 1
	top16 := make([]uint16, g.w*g.h)
	rowOff := make([]int32, g.h)
	var ext []cellWord
	for y := 0; y < g.h; y++ {
		first := len(ext)
		rowOff[y] = int32(first - zoneEnd)
		for x := 0; x < g.w; x++ {
			i := y*g.w + x
			w := g.top[i]
			switch w.tag() {
			case cellEmpty:
			case cellZone:
				top16[i] = uint16(1 + w.zone())
			default:
				v := zoneEnd + len(ext) - first
				if v >= 1<<16 {
					return
				}
				top16[i] = uint16(v)
				ext = append(ext, w)
			}
		}
	}
	g.top16, g.zoneEnd, g.rowOff, g.ext, g.top = top16, uint16(zoneEnd), rowOff, slices.Clip(ext), nil
}

// topSize picks the top-level grid dimensions for a bounding box of dx by
// dy degrees with n edges of total length degrees: square cells, about
// topPerEdge per edge, and more when the edges are long, so that at most
// about topBoundary of the cells lie on the boundary. A cell of side s
// meets about length·s·2/3 / (dx·dy) of the area when the edges run in
// all directions and each boundary is counted from both sides; the
// constant was measured on the real zone files.
func topSize(dx, dy float64, n int, length float64) (w, h int) {
	dx, dy = max(dx, 1e-9), max(dy, 1e-9)
	byLength := math.Pow(2.0/3*length/(topBoundary*math.Sqrt(dx*dy)), 2)
	cells := min(max(float64(n*topPerEdge), byLength, topMin), topMax)
	s := math.Sqrt(dx * dy / cells)
	w = min(max(1, int(math.Ceil(dx/s))), topMax)
	h = min(max(1, int(math.Ceil(dy/s))), topMax/w)
	return w, max(h, 1)
}

func (b *gridBuilder) topBox(ix0, iy0, ix1, iy1 int) box {
	g := b.g
	bx := box{g.x0 + float64(ix0)/g.sx, g.y0 + float64(iy0)/g.sy, g.x0 + float64(ix1)/g.sx, g.y0 + float64(iy1)/g.sy}
	if g.sx == 0 {
		bx.x0, bx.x1 = g.x0, g.x1
	}
	if g.sy == 0 {
		bx.y0, bx.y1 = g.y0, g.y1
	}
	return bx
}

// region fills the top-level cells [ix0, ix1) × [iy0, iy1), whose reference
// point is (rx, ry) and whose polygons are items.
func (b *gridBuilder) region(ix0, iy0, ix1, iy1 int, rx, ry float64, items []item) {
	g := b.g
	if !hasBoundary(items) {
		w := b.interiorWord(items)
		for y := iy0; y < iy1; y++ {
			for x := ix0; x < ix1; x++ {
				g.top[y*g.w+x] = w
			}
		}
		return
	}
	if ix1-ix0 == 1 && iy1-iy0 == 1 {
		g.top[iy0*g.w+ix0] = b.cell(b.topBox(ix0, iy0, ix1, iy1), rx, ry, items, 0)
		return
	}
	xs, ys := quarters(ix0, ix1), quarters(iy0, iy1)
	fx := make([]float64, len(xs))
	for i, x := range xs {
		fx[i] = b.topBox(x, 0, x, 0).x0
	}
	fy := make([]float64, len(ys))
	for i, y := range ys {
		fy[i] = b.topBox(0, y, 0, y).y0
	}
	ni, ne, nk := len(b.items), len(b.idx), len(b.kids)
	kids := b.split(fx, fy, rx, ry, items)
	for k, kd := range kids {
		i, j := k%(len(xs)-1), k/(len(xs)-1)
		b.region(xs[i], ys[j], xs[i+1], ys[j+1], kd.rx, kd.ry, kd.items)
	}
	b.items, b.idx, b.kids = b.items[:ni], b.idx[:ne], b.kids[:nk]
}

// quarters cuts [lo, hi) into at most fanout runs of nearly equal length
// and returns their bounds: fewer, wider levels of regions mean fewer passes
// over the edges.
func quarters(lo, hi int) []int {
	n := min(hi-lo, fanout)
	bs := make([]int, n+1)
	for i := range bs {
		bs[i] = lo + (hi-lo)*i/n
	}
	return bs
}

// cell returns the word for a cell of box bx at depth levels below the top
// grid, splitting it when its polygons have too many edges.
func (b *gridBuilder) cell(bx box, rx, ry float64, items []item, depth int) cellWord {
	if !hasBoundary(items) {
		return b.interiorWord(items)
	}
	n := 0
	for _, it := range items {
		n += len(it.edges)
	}
	if depth < minLeafDepth && n == 2 && len(items) == 2 && len(items[0].edges) == 1 {
		// A border of two zones with one edge here: a side leaf answers
		// the whole cell with one read, splitting would add a block read.
		rx, ry = b.offLines(bx, rx, ry, items)
		if b.isPair(rx, items) {
			if w, ok := b.sideWord(rx, ry, items); ok {
				return w
			}
		}
	}
	if (n <= leafEdges && depth >= minLeafDepth) || depth == maxDepth || bx.x1-bx.x0 < minCell || bx.y1-bx.y0 < minCell {
		rx, ry = b.offLines(bx, rx, ry, items)
		return b.leafWord(rx, ry, items)
	}
	blk := len(b.g.blocks)
	b.g.blocks = append(b.g.blocks, make([]cellWord, fanout*fanout)...)
	var xs, ys [fanout + 1]float64
	dx, dy := (bx.x1-bx.x0)/fanout, (bx.y1-bx.y0)/fanout
	for i := 0; i < fanout; i++ {
		xs[i], ys[i] = bx.x0+float64(i)*dx, bx.y0+float64(i)*dy
	}
	xs[fanout], ys[fanout] = bx.x1, bx.y1
	ni, ne, nk := len(b.items), len(b.idx), len(b.kids)
	kids := b.split(xs[:], ys[:], rx, ry, items)
	for k, kd := range kids {
		i, j := k%fanout, k/fanout
		sub := box{xs[i], ys[j], xs[i+1], ys[j+1]}
		w := b.cell(sub, kd.rx, kd.ry, kd.items, depth+1)
		b.g.blocks[blk+k] = w
	}
	b.items, b.idx, b.kids = b.items[:ni], b.idx[:ne], b.kids[:nk]
	return blockCell(blk)
}

func hasBoundary(items []item) bool {
	for _, it := range items {
		if it.edges != nil {
			return true
		}
	}
	return false
}

// interiorWord returns the word for a cell that no edge touches and that
// the polygons items (all containing it) cover.
func (b *gridBuilder) interiorWord(items []item) cellWord {
	var zones []int32
	for _, it := range items {
		z := int32(b.parts[it.part].zone)
		if len(zones) == 0 || zones[len(zones)-1] != z {
			zones = append(zones, z)
		}
	}
	switch len(zones) {
	case 0:
		return cellEmpty
	case 1:
		return zoneCell(int(zones[0]))
	}
	var key strings.Builder
	for _, z := range zones {
		key.WriteString(strconv.Itoa(int(z)))
		key.WriteByte(',')
	}
	if w, ok := b.interior[key.String()]; ok {
		return w
	}
	w := b.leafWord(math.NaN(), math.NaN(), items)
	b.interior[key.String()] = w
	return w
}

// leafWord stores a leaf with reference point (rx, ry) and returns its word.
func (b *gridBuilder) leafWord(rx, ry float64, items []item) cellWord {
	g := b.g
	off := len(g.leaf)
	if off > maxLeafIndex {
		panic("geo: leaves beyond 2 GiB") // the word could not tell them from side leaves
	}
	pair := b.isPair(rx, items)
	if pair {
		if w, ok := b.sideWord(rx, ry, items); ok {
			return w
		}
	}
	g.leaf = appendLeafHead(g.leaf, rx, ry, newLeafHead(len(items), pair))
	for i, it := range items {
		if pair && i == 1 {
			g.leaf = append(g.leaf, uint32(it.part), uint32(b.parts[it.part].zone), uint32(newEntryFlags(0, false, false)))
			break
		}
		e := len(g.leaf)
		g.leaf = append(g.leaf, uint32(it.part), uint32(b.parts[it.part].zone), 0)
		onLine := false
		for _, ei := range it.edges {
			flip := false
			if !math.IsNaN(rx) {
				s := &b.edges[ei]
				switch orient(s.x0, s.y0, s.x1, s.y1, rx, ry) {
				case -1:
					flip = true
				case 0:
					onLine = true
				}
			}
			g.leaf = append(g.leaf, uint32(newEdgeRef(ei, flip)))
		}
		g.leaf[e+2] = uint32(newEntryFlags(len(it.edges), it.in, onLine))
	}
	return leafCell(off)
}

// sideWord returns the word of a side leaf for a leaf whose polygons items
// are a border of two zones (isPair) when each has one edge in the cell
// and the reference point (rx, ry) is off that edge's line; ok is false
// otherwise. Neighbouring cells along the edge share one side leaf.
func (b *gridBuilder) sideWord(rx, ry float64, items []item) (w cellWord, ok bool) {
	if len(items[0].edges) != 1 {
		return 0, false
	}
	s := b.edges[items[0].edges[0]]
	o := orient(s.x0, s.y0, s.x1, s.y1, rx, ry)
	if o == 0 {
		return 0, false
	}
	// in is the zone containing the reference point, on side o of the edge.
	in, out := int32(b.parts[items[0].part].zone), int32(b.parts[items[1].part].zone)
	if !items[0].in {
		in, out = out, in
	}
	sl := sideLeaf{x0: s.x0, y0: s.y0, x1: s.x1, y1: s.y1, zone: [2]int32{in, out}}
	if o < 0 {
		sl.zone = [2]int32{out, in}
	}
	w, seen := b.sides[sl]
	if !seen {
		i := len(b.g.sides)
		if i > maxLeafIndex {
			return 0, false
		}
		b.g.sides = append(b.g.sides, sl)
		w = sideLeafCell(i)
		b.sides[sl] = w
	}
	return w, true
}

// isPair reports whether a leaf whose reference point has x rx (NaN when
// it has none) and whose polygons are items is a border of two zones (see
// leafHead): two polygons of different zones, exactly one containing the
// reference point, whose edges in the cell are the same segments, as many
// times each.
func (b *gridBuilder) isPair(rx float64, items []item) bool {
	if len(items) != 2 || math.IsNaN(rx) {
		return false
	}
	p, q := items[0], items[1]
	if p.edges == nil || q.edges == nil || len(p.edges) != len(q.edges) || p.in == q.in ||
		b.parts[p.part].zone == b.parts[q.part].zone {
		return false
	}
	b.segs = b.segs[:0]
	for _, es := range [2][]int32{p.edges, q.edges} {
		for _, ei := range es {
			s := b.edges[ei]
			if s.x1 < s.x0 || (s.x1 == s.x0 && s.y1 < s.y0) {
				s = edge{s.x1, s.y1, s.x0, s.y0}
			}
			b.segs = append(b.segs, s)
		}
	}
	n := len(p.edges)
	a, c := b.segs[:n], b.segs[n:]
	// A border shared by two polygons is mostly listed in the same or
	// the opposite order by both; sorting decides the rest.
	if slices.Equal(a, c) || reversedEqual(a, c) {
		return true
	}
	less := func(s, t edge) int {
		return cmp.Or(cmp.Compare(s.x0, t.x0), cmp.Compare(s.y0, t.y0), cmp.Compare(s.x1, t.x1), cmp.Compare(s.y1, t.y1))
	}
	slices.SortFunc(a, less)
	slices.SortFunc(c, less)
	return slices.Equal(a, c)
}

// reversedEqual reports whether a is c backwards.
func reversedEqual(a, c []edge) bool {
	for i, s := range a {
		if s != c[len(c)-1-i] {
			return false
		}
	}
	return true
}
