package geo

import "math"

// kid is one child region made by split.
type kid struct {
	items  []item
	rx, ry float64 // reference point, NaN when none lies off the edges
}

// split divides a region with reference point (rx, ry) and polygons items
// into the nx×ny children bounded by xs (nx+1 ascending values) and ys
// (ny+1), nx·ny ≤ 16; child k = j·nx + i spans [xs[i], xs[i+1]] ×
// [ys[j], ys[j+1]]. Each child gets the polygons that touch it, their edges
// touching it (grown by cellMargin), a reference point and each polygon's
// containment of that point. Polygons missing a child are dropped from it
// and those covering it lose their edge list. The results live on the
// builder's stacks until the caller truncates them.
func (b *gridBuilder) split(xs, ys []float64, rx, ry float64, items []item) []kid {
	nx, ny := len(xs)-1, len(ys)-1
	nk, ni := nx*ny, len(items)
	start := len(b.kids)
	b.kids = append(b.kids, make([]kid, nk)...)
	kids := b.kids[start : start+nk]
	base := len(b.items)
	b.items = append(b.items, make([]item, nk*ni)...)
	slot := itemSlots{b.items[base : base+nk*ni], ni}
	for ii, it := range items {
		if it.edges == nil {
			for k := 0; k < nk; k++ {
				*slot.at(k, ii) = it
			}
			continue
		}
		lists := b.partition(xs, ys, it.edges)
		for k := 0; k < nk; k++ {
			*slot.at(k, ii) = item{part: it.part, in: it.in, edges: lists[k]}
		}
	}
	for k := range kids {
		i, j := k%nx, k/nx
		kids[k].rx, kids[k].ry = b.refPoint(box{xs[i], ys[j], xs[i+1], ys[j+1]}, b.items[base+k*ni:base+(k+1)*ni])
	}
	b.chainStatus(xs, ys, rx, ry, items, kids, slot)
	for k := range kids {
		all := b.items[base+k*ni : base+(k+1)*ni]
		kept := all[:0]
		for _, it := range all {
			if it.edges != nil && len(it.edges) == 0 {
				if !it.in {
					continue
				}
				it.edges = nil
			}
			kept = append(kept, it)
		}
		kids[k].items = kept
	}
	return kids
}

// partition returns, per child of the grid xs × ys, the edges among edges
// that touch it grown by cellMargin, each list ascending and never nil.
func (b *gridBuilder) partition(xs, ys []float64, edges []int32) [16][]int32 {
	nx, ny := len(xs)-1, len(ys)-1
	var counts [17]int32
	pairs := b.pairs[:0]
	for _, ei := range edges {
		sb := &b.bounds[ei]
		i0, i1 := spanRange(xs, sb.x0, sb.x1)
		j0, j1 := spanRange(ys, sb.y0, sb.y1)
		for j := j0; j <= j1; j++ {
			for i := i0; i <= i1; i++ {
				if (i0 == i1 && j0 == j1) || segTouchesBox(&b.edges[ei], sb,
					box{xs[i] - cellMargin, ys[j] - cellMargin, xs[i+1] + cellMargin, ys[j+1] + cellMargin}) {
					k := j*nx + i
					pairs = append(pairs, kidEdge{int32(k), ei})
					counts[k+1]++
				}
			}
		}
	}
	b.pairs = pairs
	for k := 1; k <= nx*ny; k++ {
		counts[k] += counts[k-1]
	}
	start := len(b.idx)
	b.idx = append(b.idx, make([]int32, len(pairs))...)
	var lists [16][]int32
	for k := 0; k < nx*ny; k++ {
		lo, hi := start+int(counts[k]), start+int(counts[k+1])
		lists[k] = b.idx[lo:lo:hi]
	}
	for _, p := range pairs {
		lists[p.kid] = append(lists[p.kid], p.edge)
	}
	return lists
}

// itemSlots holds the items of split's children: n per child.
type itemSlots struct {
	items []item
	n     int
}

func (s itemSlots) at(k, i int) *item { return &s.items[k*s.n+i] }

// kidEdge is an edge assigned to a child by partition.
type kidEdge struct{ kid, edge int32 }

// spanRange returns the first and last child along one axis, bounded by
// bs, whose extent grown by cellMargin meets [lo, hi]. Every edge handed
// to partition touches the parent, so the range is never empty.
func spanRange(bs []float64, lo, hi float64) (int, int) {
	n := len(bs) - 1
	first := 0
	for first < n-1 && bs[first+1]+cellMargin < lo {
		first++
	}
	last := n - 1
	for last > first && bs[last]-cellMargin > hi {
		last--
	}
	return first, last
}

// chainStatus sets each polygon's containment of each child's reference
// point. The first child is reached from the parent's reference point
// across the parent's edges; each next child, visited in serpentine order,
// from the previous child's point across the edges of the two children,
// whose union holds the segment between them.
func (b *gridBuilder) chainStatus(xs, ys []float64, rx, ry float64, items []item, kids []kid, slot itemSlots) {
	nx, ny := len(xs)-1, len(ys)-1
	prev := -1
	for j := 0; j < ny; j++ {
		for c := 0; c < nx; c++ {
			i := c
			if j%2 == 1 {
				i = nx - 1 - c
			}
			k := j*nx + i
			x, y := kids[k].rx, kids[k].ry
			if math.IsNaN(x) {
				// No reference point: only polygons covering the child
				// need an answer, and its centre gives it.
				mx, my := (xs[i]+xs[i+1])/2, (ys[j]+ys[j+1])/2
				for ii, it := range items {
					if s := slot.at(k, ii); it.edges != nil && len(s.edges) == 0 {
						s.in = polygonContains(b.parts[it.part].poly, mx, my)
					}
				}
				prev = -1
				continue
			}
			for ii, it := range items {
				if it.edges == nil {
					continue
				}
				s := slot.at(k, ii)
				switch {
				case prev >= 0:
					p := slot.at(prev, ii)
					if len(p.edges) == 0 && len(s.edges) == 0 {
						s.in = p.in // no edge to cross
						continue
					}
					s.in = b.walk(it.part, p.in, kids[prev].rx, kids[prev].ry, x, y, p.edges, s.edges)
				case !math.IsNaN(rx):
					s.in = b.walk(it.part, it.in, rx, ry, x, y, it.edges, nil)
				default:
					s.in = polygonContains(b.parts[it.part].poly, x, y)
				}
			}
			prev = k
		}
	}
}
