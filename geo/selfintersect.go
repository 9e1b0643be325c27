package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// selfIntersection returns two edges of the closed ring r that meet
// although they are not neighbours, or two neighbouring edges that fold
// back over each other (a spike). Edge i runs from r[i] to r[i+1]. r has no
// consecutive repeats.
//
// Edges are hashed into square cells about as wide as the ring's mean
// edge; the (cell, edge) pairs are sorted by cell and only edges sharing a
// cell are compared, so the cost is O(n log n) for rings whose edges have
// similar lengths. The few edges much longer than the mean are compared
// with every edge whose bounding box they overlap.
func selfIntersection(r orb.Ring) (int, int, bool) {
	m := len(r) - 1 // number of edges
	for i := 0; i < m; i++ {
		a, b, c := r[i], r[i+1], r[(i+2)%m]
		if orient(a[0], a[1], b[0], b[1], c[0], c[1]) == 0 &&
			(onSegment(a[0], a[1], b[0], b[1], c[0], c[1]) || onSegment(b[0], b[1], c[0], c[1], a[0], a[1])) {
			return i, (i + 1) % m, true
		}
	}
	bd := r.Bound()
	total := 0.0
	for i := 0; i < m; i++ {
		total += max(math.Abs(r[i+1][0]-r[i][0]), math.Abs(r[i+1][1]-r[i][1]))
	}
	size := max(total/float64(m), (bd.Max[0]-bd.Min[0])/(1<<30), (bd.Max[1]-bd.Min[1])/(1<<30), 1e-300)
	cell := func(v, lo float64) int64 { return int64((v - lo) / size) }
	const maxCells = 16
	type cellEdge struct {
		key  int64
		edge int32
	}
	pairs := make([]cellEdge, 0, 3*m)
	var long []int32
	gx := cell(bd.Max[0], bd.Min[0]) + 1
	for i := 0; i < m; i++ {
		p, q := r[i], r[i+1]
		x0, x1 := cell(min(p[0], q[0]), bd.Min[0]), cell(max(p[0], q[0]), bd.Min[0])
		y0, y1 := cell(min(p[1], q[1]), bd.Min[1]), cell(max(p[1], q[1]), bd.Min[1])
		if (x1-x0+1)*(y1-y0+1) > maxCells {
			long = append(long, int32(i))
			continue
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				pairs = append(pairs, cellEdge{y*gx + x, int32(i)})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b cellEdge) int { return cmp.Compare(a.key, b.key) })
	for lo := 0; lo < len(pairs); {
		hi := lo + 1
		for hi < len(pairs) && pairs[hi].key == pairs[lo].key {
			hi++
		}
		for k := lo; k < hi; k++ {
			for l := k + 1; l < hi; l++ {
				if edgesMeet(r, m, int(pairs[k].edge), int(pairs[l].edge)) {
					return sortedPair(int(pairs[k].edge), int(pairs[l].edge))
				}
			}
		}
		lo = hi
	}
	for _, li := range long {
		for j := 0; j < m; j++ {
			if j != int(li) && edgesMeet(r, m, int(li), j) {
				return sortedPair(int(li), j)
			}
		}
	}
	return 0, 0, false
}

func sortedPair(i, j int) (int, int, bool) { return min(i, j), max(i, j), true }

// edgesMeet reports whether edges i and j of a ring with m edges share a
// point although they are not neighbours.
func edgesMeet(r orb.Ring, m, i, j int) bool {
	if i > j {
		i, j = j, i
	}
	if j == i+1 || (i == 0 && j == m-1) {
		return false
	}
	p, q, s, t := r[i], r[i+1], r[j], r[j+1]
	return segmentsIntersect(p[0], p[1], q[0], q[1], s[0], s[1], t[0], t[1])
}
