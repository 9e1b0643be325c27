package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// selfIntersection returns two edges of the closed ring r that meet
// although they are not neighbours, or two neighbouring edges that fold
// back over each other (a spike). Edge i runs from r[i] to r[i+1]. r has no
// consecutive repeats.
//
// Edges are hashed into a uniform grid of about len(r) cells over the
// ring's bounding box and only edges sharing a cell are compared, so the
// cost is O(n) for rings whose edges are short compared with the ring, as
// in boundary files, instead of the O(n²) of comparing all pairs.
func selfIntersection(r orb.Ring) (int, int, bool) {
	m := len(r) - 1 // number of edges
	for i := 0; i < m; i++ {
		a, b, c := r[i], r[i+1], r[(i+2)%m]
		if orient(a[0], a[1], b[0], b[1], c[0], c[1]) == 0 &&
			(onSegment(a[0], a[1], b[0], b[1], c[0], c[1]) || onSegment(b[0], b[1], c[0], c[1], a[0], a[1])) {
			return i, (i + 1) % m, true
		}
	}
	b := r.Bound()
	g := int(math.Ceil(math.Sqrt(float64(m))))
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	sx, sy := float64(g)/w, float64(g)/h
	if w == 0 {
		sx = 0
	}
	if h == 0 {
		sy = 0
	}
	cell := func(v, lo, s float64) int {
		return min(g-1, max(0, int((v-lo)*s)))
	}
	cells := make([][]int32, g*g)
	for i := 0; i < m; i++ {
		p, q := r[i], r[i+1]
		x0, x1 := cell(min(p[0], q[0]), b.Min[0], sx), cell(max(p[0], q[0]), b.Min[0], sx)
		y0, y1 := cell(min(p[1], q[1]), b.Min[1], sy), cell(max(p[1], q[1]), b.Min[1], sy)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				cells[y*g+x] = append(cells[y*g+x], int32(i))
			}
		}
	}
	for _, es := range cells {
		for k, ei := range es {
			for _, ej := range es[k+1:] {
				i, j := int(ei), int(ej)
				if j == i+1 || (i == 0 && j == m-1) {
					continue
				}
				p, q, s, t := r[i], r[i+1], r[j], r[j+1]
				if segmentsIntersect(p[0], p[1], q[0], q[1], s[0], s[1], t[0], t[1]) {
					return i, j, true
				}
			}
		}
	}
	return 0, 0, false
}
